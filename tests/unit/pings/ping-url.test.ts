import { describe, expect, it } from "vitest";
import { parsePingUrl, parseRid } from "@/server/pings/url";

const UUID = "5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";

describe("ping URLs, read as Healthchecks' URL patterns match them", () => {
  it("reads a UUID with each suffix", () => {
    expect(parsePingUrl([UUID])).toEqual({ target: { uuid: UUID }, action: { kind: "success" } });
    expect(parsePingUrl([UUID.toUpperCase(), "start"])).toEqual({ target: { uuid: UUID }, action: { kind: "start" } });
    expect(parsePingUrl([UUID, "fail"])).toMatchObject({ action: { kind: "fail" } });
    expect(parsePingUrl([UUID, "log"])).toMatchObject({ action: { kind: "log" } });
    expect(parsePingUrl([UUID, "0"])).toMatchObject({ action: { kind: "exit", code: 0 } });
    expect(parsePingUrl([UUID, "255"])).toMatchObject({ action: { kind: "exit", code: 255 } });
  });

  it("reads a ping key and a slug, with each suffix; a UUID followed by a slug is a key and a slug", () => {
    expect(parsePingUrl(["jb_abc_XYZ-9", "nightly-backup"])).toEqual({
      target: { pingKey: "jb_abc_XYZ-9", slug: "nightly-backup" },
      action: { kind: "success" },
    });
    expect(parsePingUrl(["key", "db_dump", "7"])).toMatchObject({ target: { slug: "db_dump" }, action: { kind: "exit", code: 7 } });
    expect(parsePingUrl([UUID, "backup"])).toMatchObject({ target: { pingKey: UUID, slug: "backup" } });
  });

  it("refuses bad values in a known shape as invalid url format, and unknown shapes as not found", () => {
    expect(parsePingUrl([UUID, "256"])).toEqual({ error: "badUrl" });
    expect(parsePingUrl(["key", "Nightly"])).toEqual({ error: "badUrl" });
    expect(parsePingUrl(["key", "nightly", "300"])).toEqual({ error: "badUrl" });
    expect(parsePingUrl([])).toEqual({ error: "notFound" });
    expect(parsePingUrl(["key"])).toEqual({ error: "notFound" });
    expect(parsePingUrl(["key", "nightly", "done"])).toEqual({ error: "notFound" });
    expect(parsePingUrl(["key", "night.ly"])).toEqual({ error: "notFound" });
    expect(parsePingUrl(["key", "nightly", "fail", "extra"])).toEqual({ error: "notFound" });
  });

  it("takes a rid only as a UUID", () => {
    expect(parseRid(null)).toEqual({ rid: null });
    expect(parseRid(UUID.toUpperCase())).toEqual({ rid: UUID });
    expect(parseRid("run-1")).toEqual({ error: "badRid" });
  });
});
