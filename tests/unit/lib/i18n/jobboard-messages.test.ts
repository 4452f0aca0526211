import { describe, expect, it } from "vitest";
import { jobboardMessage } from "@/lib/i18n/jobboard-messages";
import { translator } from "@/lib/i18n/messages";

const ja = translator("ja");
const en = translator("en");

describe("the messages Jobboard writes, read in the reader's language", () => {
  it("renders each message the tick, the executor and the leases write, in Japanese with times in the workspace's zone", () => {
    expect(jobboardMessage("No run since 2026-11-23T00:00:00.000Z (due, plus 10 min grace)", ja, "Asia/Tokyo")).toBe(
      "2026-11-23 09:00 UTC+09:00 の予定以降、実行がありません (10 分の猶予を過ぎました)",
    );
    expect(jobboardMessage("Timed out after 90 s", ja, "UTC")).toBe("1分30秒 でタイムアウトしました");
    expect(jobboardMessage("Timed out: still running 600 s after it started", ja, "UTC")).toBe("タイムアウト: 開始から 10分00秒 経っても実行中でした");
    expect(jobboardMessage("No progress for 15 minutes (at stage Genre)", ja, "UTC")).toBe("15 分間、進捗がありません (ステージ Genre)");
    expect(jobboardMessage("No progress for 15 minutes", ja, "UTC")).toBe("15 分間、進捗がありません");
    expect(jobboardMessage("Lost: agent gpu-01 stopped answering, and its lease ran out at 2026-11-23 01:02:03 UTC", ja, "Asia/Tokyo")).toBe(
      "消失: エージェント gpu-01 が応答しなくなり、2026-11-23 10:02 UTC+09:00 にリースが切れました",
    );
    expect(jobboardMessage("Canceled", ja, "UTC")).toBe(ja("status.canceled"));
  });

  it("keeps English readers' words, with the time in the workspace's zone", () => {
    expect(jobboardMessage("No run since 2026-11-23T00:00:00.000Z (due, plus 10 min grace)", en, "Asia/Tokyo")).toBe(
      "No run since 2026-11-23 09:00 UTC+09:00 (due, plus 10 min grace)",
    );
  });

  it("leaves a job's own words as they came", () => {
    for (const own of ["KeyError: 'customer_id'", "Timed out after a while", "exited with code 1", "処理完了"]) {
      expect(jobboardMessage(own, ja, "UTC")).toBe(own);
    }
    expect(jobboardMessage(null, ja, "UTC")).toBeNull();
  });
});

describe("durations in the reader's language", () => {
  it("reads naturally in Japanese and stays as it was in English", async () => {
    const { formatDuration } = await import("@/lib/time");
    expect([850, 12_300, 245_000, 7_380_000].map((ms) => formatDuration(ms, "ja"))).toEqual(["850 ミリ秒", "12.3 秒", "4分05秒", "2時間03分"]);
    expect([850, 12_300, 245_000, 7_380_000].map((ms) => formatDuration(ms))).toEqual(["850 ms", "12.3 s", "4 m 05 s", "2 h 03 m"]);
  });
});
