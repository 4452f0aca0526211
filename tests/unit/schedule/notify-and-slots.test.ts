import { describe, expect, it } from "vitest";
import { buildSlackMessage, escapeMrkdwn, stderrBlock } from "@/server/notify/messages";
import { alertRetryDelaySeconds } from "@/server/notify/deliver";
import { cronProblem, latestSlot, nextSlots, slotAfter } from "@/server/schedule/slots";

const run = {
  jobTitle: "Nightly export",
  jobKey: "nightly-export",
  durationMs: 65_000,
  exitCode: 1,
  message: "exited with code 1",
  stderrTail: "Traceback (most recent call last):\nValueError: bad row",
  runUrl: "https://jobs.example.test/runs/123",
};

describe("Slack messages", () => {
  it("builds the failure's Block Kit: headline, facts, message, stderr in a code block, a link", () => {
    expect(buildSlackMessage({ kind: "failure", status: "failed" }, run)).toEqual({
      text: ":rotating_light: Nightly export failed",
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: ":rotating_light: *Nightly export* failed" } },
        { type: "context", elements: [{ type: "mrkdwn", text: "`nightly-export` · duration 1 m 05 s · exit code 1" }] },
        { type: "section", text: { type: "plain_text", text: "exited with code 1" } },
        { type: "section", text: { type: "mrkdwn", text: "```Traceback (most recent call last):\nValueError: bad row```" } },
        {
          type: "actions",
          elements: [{ type: "button", text: { type: "plain_text", text: "Open in Jobboard" }, url: "https://jobs.example.test/runs/123" }],
        },
      ],
    });
  });

  it("says timed out, recovered and missed in words, and leaves stderr out of good news", () => {
    expect(buildSlackMessage({ kind: "failure", status: "timed_out" }, run).text).toBe(":rotating_light: Nightly export timed out");
    const recovery = buildSlackMessage({ kind: "recovery" }, run);
    expect(recovery.text).toBe(":white_check_mark: Nightly export recovered");
    expect(JSON.stringify(recovery.blocks)).not.toContain("Traceback");
    expect(buildSlackMessage({ kind: "missed", dueAt: new Date("2026-11-23T03:00:00Z") }, { ...run, runUrl: null }).text).toBe(
      ":alarm_clock: Nightly export missed its run due 2026-11-23T03:00:00.000Z",
    );
  });

  it("keeps the end of a long stderr and cannot be broken out of its code block", () => {
    const block = stderrBlock(`${"x".repeat(5000)}THE ERROR`);
    expect(block.length).toBeLessThanOrEqual(3000);
    expect(block.startsWith("```…")).toBe(true);
    expect(block.endsWith("THE ERROR```")).toBe(true);
    expect(stderrBlock("a ``` b")).toBe("```a `\u200b`` b```");
  });

  it("escapes mrkdwn in titles, keys, stderr and the notification text, so a title cannot ping @channel", () => {
    const hostile = { ...run, jobTitle: "<!channel> Export & co", jobKey: "<@U123>", stderrTail: "if a < b && c > d: <!here>" };
    const message = buildSlackMessage({ kind: "failure", status: "failed" }, hostile);
    const text = JSON.stringify(message);
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<!here>");
    expect(text).not.toContain("<@U123>");
    expect(message.text).toBe(":rotating_light: &lt;!channel&gt; Export &amp; co failed");
    expect(message.blocks[1]).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "`&lt;@U123&gt;` · duration 1 m 05 s · exit code 1" }] });
    expect(stderrBlock("a < b")).toBe("```a &lt; b```");
    expect(escapeMrkdwn("&lt;")).toBe("&amp;lt;");
  });

  it("says how many failures an incident has held, and backs off its retries", () => {
    expect(buildSlackMessage({ kind: "failure", status: "failed", failureCount: 200 }, run).text).toBe(
      ":rotating_light: Nightly export failed (200 failures in a row so far)",
    );
    expect(buildSlackMessage({ kind: "failure", status: "failed", failureCount: 1 }, run).text).toBe(":rotating_light: Nightly export failed");
    expect(buildSlackMessage({ kind: "recovery", failureCount: 3 }, run).text).toBe(":white_check_mark: Nightly export recovered after failing 3 times");
    expect(buildSlackMessage({ kind: "failure", status: "lost" }, run).text).toContain("was lost");
    expect([1, 2, 3, 4, 10, 30].map(alertRetryDelaySeconds)).toEqual([5, 10, 20, 40, 600, 600]);
  });
});

describe("schedule slots", () => {
  it("skips the 02:30 that does not exist when New York springs forward, without inventing one", () => {
    const schedule = { cron: "30 2 * * *", timezone: "America/New_York", periodSeconds: null };
    const anchor = new Date("2026-03-01T00:00:00Z");
    // 8 March 2026: clocks jump from 02:00 to 03:00; the latest real 02:30 before noon is 7 March's.
    // 03:30 EDT that morning (07:30 UTC) is the shifted slot, and it is not one.
    expect(latestSlot(schedule, new Date("2026-03-08T16:00:00Z"), anchor)!.toISOString()).toBe("2026-03-07T07:30:00.000Z");
    expect(latestSlot(schedule, new Date("2026-03-09T12:00:00Z"), anchor)!.toISOString()).toBe("2026-03-09T06:30:00.000Z");
    // Looking forward agrees: after 7 March's run the next is 9 March's, in the tick and the preview.
    expect(slotAfter(schedule, new Date("2026-03-07T08:00:00Z"), anchor)!.toISOString()).toBe("2026-03-09T06:30:00.000Z");
    expect(nextSlots(schedule, new Date("2026-03-07T08:00:00Z"), 2).map((slot) => slot.toISOString())).toEqual([
      "2026-03-09T06:30:00.000Z",
      "2026-03-10T06:30:00.000Z",
    ]);
  });

  it("counts periods from the job's creation and refuses bad cron with the reason", () => {
    const hourly = { cron: null, timezone: null, periodSeconds: 3600 };
    expect(latestSlot(hourly, new Date("2026-11-23T03:10:00Z"), new Date("2026-11-23T00:05:00Z"))!.toISOString()).toBe(
      "2026-11-23T03:05:00.000Z",
    );
    expect(latestSlot(hourly, new Date("2026-11-23T00:30:00Z"), new Date("2026-11-23T00:05:00Z"))).toBeNull();
    expect(cronProblem("0 9 * *", "UTC")).toMatch(/five fields/);
    // One message per mistake, in words, naming the field: not the library's.
    expect(cronProblem("0 25 * * *", "UTC")).toBe("The hour field goes from 0 to 23; 25 is outside it");
    expect(cronProblem("*/0 * * * *", "UTC")).toBe("The minute field cannot read “*/0”: a step is written like */15");
    expect(cronProblem("0 3 * 5-1 *", "UTC")).toBe("The month range “5-1” runs backwards");
    expect(cronProblem("0 3 * * mon-fri", "UTC")).toBeNull();
    // A bad timezone is the timezone field's problem, not the cron's.
    expect(cronProblem("0 3 * * *", "Not/AZone")).toBeNull();
    expect(cronProblem("0 9 * * 1-5", "Asia/Tokyo")).toBeNull();
  });

  it("previews the next five runs on the zone's clock", () => {
    const slots = nextSlots({ cron: "30 7 * * 1-5", timezone: "Asia/Tokyo", periodSeconds: null }, new Date("2026-11-20T00:00:00Z"), 5);
    expect(slots.map((slot) => slot.toISOString())).toEqual([
      "2026-11-22T22:30:00.000Z",
      "2026-11-23T22:30:00.000Z",
      "2026-11-24T22:30:00.000Z",
      "2026-11-25T22:30:00.000Z",
      "2026-11-26T22:30:00.000Z",
    ]);
  });
});
