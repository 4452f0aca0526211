import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fieldErrors } from "@/lib/action-state";
import { localizeActionState, localizeServerText } from "@/lib/i18n/server-text";
import type { z } from "zod";
import * as authForms from "@/server/auth/schemas";
import { jobFormSchema } from "@/server/jobs/definition";
import * as maintenanceForms from "@/server/maintenance/schemas";
import * as runForms from "@/server/runs/schemas";
import * as secretForms from "@/server/secrets/schemas";
import * as settingsForms from "@/server/settings/schemas";
import { cronProblem } from "@/server/schedule/slots";

const hasJapanese = (text: string) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(text);

describe("server messages in Japanese", () => {
  it("translates every problem a refused job form names, each at its field", () => {
    const parsed = jobFormSchema.safeParse({
      jobKey: "has spaces", title: "", kind: "http", httpUrl: "ftp://nowhere", scheduleType: "period", periodSeconds: "5",
      graceSeconds: "1.5", timeoutSeconds: "abc", maxRetries: "99", failureThreshold: "0", timezone: "Mars/Olympus",
    });
    expect(parsed.success).toBe(false);
    const english = fieldErrors(parsed.error!);
    const japanese = localizeActionState(english, "ja");
    expect(Object.keys(japanese.fieldErrors!)).toEqual(Object.keys(english.fieldErrors!));
    expect(Object.keys(english.fieldErrors!).length).toBeGreaterThanOrEqual(6);
    for (const [name, message] of Object.entries(japanese.fieldErrors!)) expect(hasJapanese(message), `${name}: ${message}`).toBe(true);
    expect(japanese.error).toBe("入力内容を確認してください。");
    expect(localizeActionState(english, "en")).toBe(english);
  });

  it("translates what every form's schema says of an empty form and of one with every field wrong", () => {
    const forms = { ...authForms, ...settingsForms, ...secretForms, ...maintenanceForms, ...runForms, jobFormSchema };
    const wrong = {
      email: "x", password: "1", newPassword: "1", currentPassword: "", workspaceName: "", name: "lower case", timezone: "Mars/Olympus",
      retentionDays: "x", runHistoryDays: "-1", defaultGraceSeconds: "abc", slackWebhookUrl: "ftp://x", role: "king", scope: "x", value: "",
      allowedHosts: "bad host!", title: "", recurrence: "x", startsAt: "x", endsAt: "x", cron: "", lengthMinutes: "0", jobId: "x",
      params: "{", rerunOf: "x", status: "x", trigger: "x", confirmSlug: "", token: "short", userId: "x", keyId: "x", windowId: "x",
    };
    let checked = 0;
    for (const [name, schema] of Object.entries(forms) as Array<[string, z.ZodType]>) {
      if (!name.endsWith("Schema") || typeof schema.safeParse !== "function") continue;
      for (const input of [{}, wrong]) {
        const parsed = schema.safeParse(input);
        if (parsed.success) continue;
        for (const [field, message] of Object.entries(localizeActionState(fieldErrors(parsed.error), "ja").fieldErrors!)) {
          expect(hasJapanese(message), `${name}.${field}: ${message}`).toBe(true);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it("translates each way a cron expression can be wrong, keeping what was typed", () => {
    for (const cron of ["0 25 * * *", "*/0 * * * *", "5-1 * * * *", "x * * * *", "0 3 * *", "0 3 32 * *"]) {
      const problem = cronProblem(cron, "Asia/Tokyo")!;
      expect(problem, cron).not.toBeNull();
      expect(hasJapanese(localizeServerText(problem, "ja")), `${cron}: ${problem}`).toBe(true);
    }
    expect(localizeServerText("The hour field goes from 0 to 23; 25 is outside it", "ja")).toBe("時は 0〜23 です。25 は範囲外です");
  });

  it("lists only messages the server really writes, and leaves other text alone", () => {
    const source = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const file = path.join(dir, name);
        return statSync(file).isDirectory() ? source(file) : /\.tsx?$/.test(name) ? [readFileSync(file, "utf8")] : [];
      });
    const server = [...source("src/server"), readFileSync("src/lib/action-state.ts", "utf8")].join("\n");
    const catalogue = readFileSync("src/lib/i18n/server-text.ts", "utf8");
    const exact = [...catalogue.matchAll(/^ {2}(?:"((?:[^"\\]|\\.)*)"|'([^']*)'): "/gm)].map((m) => (m[1] ?? m[2])!.replaceAll('\\"', '"'));
    expect(exact.length).toBeGreaterThan(30);
    for (const message of exact) expect(server.includes(message), message).toBe(true);
    expect(localizeServerText("KeyError: 'customer_id'", "ja")).toBe("KeyError: 'customer_id'");
  });
});
