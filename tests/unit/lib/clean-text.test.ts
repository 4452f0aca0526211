import { describe, expect, it } from "vitest";
import { formFields } from "@/lib/action-state";
import { cleanJson, cleanText, parseCleanJson } from "@/lib/clean-text";
import { checkParams } from "@/server/runs/params";

describe("cleanText", () => {
  it("drops NUL and replaces each lone surrogate, keeping whole pairs and everything else", () => {
    expect(cleanText("a\u0000b\u0000")).toBe("ab");
    expect(cleanText("\ud800x\udc00")).toBe("\ufffdx\ufffd");
    expect(cleanText("end \ud83d")).toBe("end \ufffd");
    expect(cleanText("\udc00\ud800")).toBe("\ufffd\ufffd");
    expect(cleanText("😀 日本語\ttab\n")).toBe("😀 日本語\ttab\n");
  });
});

describe("cleanJson and parseCleanJson", () => {
  it("clean every string of a value, keys included, and leave other values alone", () => {
    expect(cleanJson({ "k\u0000": ["x\ud800", 1, null, true, { deep: "\u0000" }] })).toEqual({ k: ["x\ufffd", 1, null, true, { deep: "" }] });
    expect(parseCleanJson('{"log":"a\\u0000b\\ud800","n":2}')).toEqual({ log: "ab\ufffd", n: 2 });
    expect(() => parseCleanJson("{not json")).toThrow(SyntaxError);
  });
});

describe("where people's text enters", () => {
  it("cleans a form's fields and parameters typed as JSON", () => {
    const form = new FormData();
    form.set("title", "Night\u0000ly \ud800");
    form.set("file", new Blob(["x"]));
    expect(formFields(form)).toEqual({ title: "Nightly \ufffd" });
    expect(checkParams('{"region": "kan\\u0000to", "note": "\\udc00"}', null)).toEqual({ ok: true, params: { region: "kanto", note: "\ufffd" } });
  });
});
