import { describe, expect, it } from "vitest";
import { serverMessage, serverMessagesEn, type ServerMessageKey } from "@/lib/i18n/server-messages";
import { AppError } from "@/server/errors";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const hasJapanese = (text: string) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(text);

describe("server messages by key", () => {
  const keys = Object.keys(serverMessagesEn) as ServerMessageKey[];

  it("says every message in Japanese, with the same placeholders", () => {
    for (const key of keys) {
      const japanese = serverMessage(key, "ja");
      expect(placeholders(japanese), key).toEqual(placeholders(serverMessagesEn[key]));
      if (key !== "ingest.refused") expect(hasJapanese(japanese), key).toBe(true);
    }
  });

  it("fills placeholders, and keeps a missing one visible rather than saying undefined", () => {
    expect(serverMessage("confirm.typeToConfirm", "en", { value: "nightly-export" })).toBe("Type nightly-export to confirm.");
    expect(serverMessage("confirm.typeToConfirm", "ja", { value: "nightly-export" })).toBe("確認のため nightly-export と入力してください。");
    expect(serverMessage("confirm.typeToConfirm", "en")).toBe("Type {value} to confirm.");
  });

  it("gives an AppError English for logs and APIs, and the reader's language on request", () => {
    const error = new AppError("invalid_input", "incidents.tooMany", { params: { limit: 200 } });
    expect(error.message).toBe("Acknowledge at most 200 incidents at a time.");
    expect(error.localized("ja")).toBe("一度に確認済みにできる障害は 200 件までです。");
    expect(error.code).toBe("invalid_input");
  });
});
