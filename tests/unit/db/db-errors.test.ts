import { describe, expect, it } from "vitest";
import { isBrokenPooledConnection, isConnectionLost, isDatabaseUnavailable } from "@/server/db/errors";
import { reconnectDelaySeconds } from "@/server/db/sql";

const failure = (code: string) => Object.assign(new Error(code), { code });

describe("database error classes", () => {
  it("calls a dead pooled connection unavailable, and retryable only as such", () => {
    for (const code of ["CONNECTION_CLOSED", "ECONNRESET", "EPIPE"]) {
      expect([code, isDatabaseUnavailable(failure(code)), isConnectionLost(failure(code)), isBrokenPooledConnection(failure(code))]).toEqual([code, true, true, true]);
    }
  });

  it("never retries at once what a fresh connection was refused: the database is down or starting", () => {
    for (const code of ["ECONNREFUSED", "CONNECT_TIMEOUT", "57P03", "57P01", "CONNECTION_ENDED"]) {
      expect([code, isDatabaseUnavailable(failure(code)), isBrokenPooledConnection(failure(code))]).toEqual([code, true, false]);
    }
  });

  it("leaves what a statement said to the caller: errors, timeouts and missing codes are not connection trouble", () => {
    for (const error of [failure("23505"), failure("57014"), failure("42501"), new Error("boom"), null, "text"]) {
      expect([isDatabaseUnavailable(error), isConnectionLost(error), isBrokenPooledConnection(error)]).toEqual([false, false, false]);
    }
  });
});

describe("reconnect delay", () => {
  it("starts short and never grows past half a second, however many connections failed", () => {
    expect(reconnectDelaySeconds(0)).toBe(0.05);
    expect(reconnectDelaySeconds(2)).toBe(0.2);
    expect(Math.max(...Array.from({ length: 100 }, (_, failures) => reconnectDelaySeconds(failures)))).toBe(0.5);
  });
});
