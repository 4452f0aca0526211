import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runListQuerySchema } from "@/server/runs/list-query";
import { auditListQuerySchema } from "@/server/audit/list-query";
import { jobListQuerySchema } from "@/server/jobs/schemas";
import { cursorParam, decodeCursor, encodeCursor, fetchPage, MAX_CURSOR_LENGTH, timeKeyset } from "@/server/db/page";

const ID = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
const AT = "2026-11-21T10:00:00.123456Z";

describe("page cursors", () => {
  it("round-trip a keyset through an opaque, URL-safe string", () => {
    const cursor = encodeCursor([AT, ID]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, timeKeyset)).toEqual([AT, ID]);
    // A title with every character a URL or JSON would escape survives too.
    const title = `a/b?c=d&e "f" \\ ${"日本".repeat(3)}`;
    expect(decodeCursor(encodeCursor([title, ID]), z.tuple([z.string(), z.uuid()]))).toEqual([title, ID]);
  });

  it("read a missing, tampered, foreign or oversized cursor as none", () => {
    expect(decodeCursor(undefined, timeKeyset)).toBeUndefined();
    expect(decodeCursor("", timeKeyset)).toBeUndefined();
    expect(decodeCursor("not-base64-json", timeKeyset)).toBeUndefined();
    expect(decodeCursor(encodeCursor([AT, "x"]), timeKeyset)).toBeUndefined();
    // A title order's keyset is no place in a time order.
    expect(decodeCursor(encodeCursor(["Backup", ID]), timeKeyset)).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify({ at: AT, id: ID })).toString("base64url"), timeKeyset)).toBeUndefined();
    const long = encodeCursor([AT, ID]).padEnd(MAX_CURSOR_LENGTH + 1, "A");
    expect(decodeCursor(long, timeKeyset)).toBeUndefined();
  });

  it("mean the first page in a page's query string when unreadable", () => {
    const param = cursorParam(timeKeyset);
    expect(param.parse(encodeCursor([AT, ID]))).toEqual([AT, ID]);
    expect(param.parse("garbage")).toBeUndefined();
    expect(param.parse(undefined)).toBeUndefined();
    // A parameter given twice reaches the page as an array.
    expect(param.parse([encodeCursor([AT, ID]), encodeCursor([AT, ID])])).toBeUndefined();
    expect(runListQuerySchema.parse({ before: encodeCursor([AT, ID]), status: "failed" })).toMatchObject({ before: [AT, ID], status: "failed" });
    expect(runListQuerySchema.parse({ before: "garbage", status: "failed" })).toMatchObject({ before: undefined, status: "failed" });
    // The first page's URL has no cursor at all: each list reads it as the first page.
    expect(runListQuerySchema.parse({}).before).toBeUndefined();
    expect(auditListQuerySchema.parse({}).before).toBeUndefined();
    expect(jobListQuerySchema.parse({}).after).toBeUndefined();
    // Audit entries have serial ids, not uuids.
    expect(auditListQuerySchema.parse({ before: encodeCursor([AT, 42]) }).before).toEqual([AT, 42]);
    expect(auditListQuerySchema.parse({ before: encodeCursor([AT, ID]) }).before).toBeUndefined();
  });

  it("are read by the jobs page's sort: a title cursor is the first page of the newest-first list", () => {
    const byTitle = encodeCursor(["Backup", ID]);
    const byTime = encodeCursor([AT, ID]);
    expect(jobListQuerySchema.parse({ after: byTitle }).after).toEqual(["Backup", ID]);
    expect(jobListQuerySchema.parse({ after: byTitle, sort: "newest" }).after).toBeUndefined();
    expect(jobListQuerySchema.parse({ after: byTime, sort: "newest" }).after).toEqual([AT, ID]);
    expect(jobListQuerySchema.parse({ after: "garbage", q: "nightly" })).toMatchObject({ after: undefined, q: "nightly", sort: "title" });
  });
});

describe("fetchPage", () => {
  type Row = { at: string; id: string };
  const rows: Row[] = Array.from({ length: 5 }, (_, i) => ({ at: AT, id: `00000000-0000-4000-8000-00000000000${i}` }));

  async function pageOf(available: Row[], limit: number) {
    const asked: number[] = [];
    const page = await fetchPage(
      limit,
      async (take) => {
        asked.push(take);
        return available.slice(0, take);
      },
      (row) => [row.at, row.id],
    );
    return { page, asked };
  }

  it("asks for one row more than the page and cuts it off, pointing the cursor at the last row kept", async () => {
    const { page, asked } = await pageOf(rows, 2);
    expect(asked).toEqual([3]);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decodeCursor(page.nextCursor ?? undefined, timeKeyset)).toEqual([AT, rows[1]!.id]);
  });

  it("has no next cursor on the last page, even one that is exactly full", async () => {
    expect((await pageOf(rows, 5)).page).toEqual({ items: rows, nextCursor: null });
    expect((await pageOf(rows, 10)).page).toEqual({ items: rows, nextCursor: null });
    expect((await pageOf([], 10)).page).toEqual({ items: [], nextCursor: null });
  });
});
