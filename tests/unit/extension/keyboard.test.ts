import { describe, expect, it } from "vitest";
import {
  INITIAL_MODE,
  type Key,
  type KeyboardMode,
  keyboardRows,
  keyLabel,
  keyName,
  pressKey,
} from "../../../extension/core/keyboard";

const c = (value: string): Key => ({ kind: "char", value });
const mode = (m: Partial<KeyboardMode> = {}): KeyboardMode => ({ ...INITIAL_MODE, ...m });
const letters = (m: KeyboardMode) =>
  keyboardRows(m)
    .flat()
    .filter((k): k is { kind: "char"; value: string } => k.kind === "char")
    .map((k) => k.value)
    .join("");

describe("the soft keyboard's layout", () => {
  it("shows digits, lower-case letters and the control keys by default", () => {
    const rows = keyboardRows(INITIAL_MODE);
    expect(letters(INITIAL_MODE)).toBe("1234567890qwertyuiopasdfghjklzxcvbnm");
    expect(rows.flat().map((k) => keyLabel(k, INITIAL_MODE))).toEqual(
      expect.arrayContaining(["⇧", "大写", "符号", "删除", "关闭"]),
    );
    // No English key word: ⇧ is named 上档键 for those who hear the screen.
    expect(rows.flat().map((k) => keyLabel(k, INITIAL_MODE))).not.toContain("Shift");
    expect(keyName({ kind: "shift" })).toBe("上档键");
  });

  it.each([
    ["shift", mode({ shift: true }), "1234567890QWERTYUIOPASDFGHJKLZXCVBNM"],
    ["caps lock", mode({ caps: true }), "1234567890QWERTYUIOPASDFGHJKLZXCVBNM"],
    [
      "shift while caps lock is on",
      mode({ shift: true, caps: true }),
      "1234567890qwertyuiopasdfghjklzxcvbnm",
    ],
  ])("upper-cases the letters with %s", (_name, m, expected) => {
    expect(letters(m)).toBe(expected);
  });

  it("shows symbols on the symbol plane, with a way back and the same 删除 / 关闭", () => {
    const m = mode({ symbols: true });
    expect(letters(m)).toContain("!@#$%^&*()");
    const labels = keyboardRows(m)
      .flat()
      .map((k) => keyLabel(k, m));
    expect(labels).toEqual(expect.arrayContaining(["ABC", "删除", "关闭"]));
  });

  it("keeps every row at most ten keys wide, so it fits the 360px popup", () => {
    for (const m of [mode(), mode({ symbols: true }), mode({ caps: true })]) {
      for (const row of keyboardRows(m)) expect(row.length).toBeLessThanOrEqual(10);
    }
  });
});

describe("pressing soft keys", () => {
  it.each<[string, KeyboardMode, string, Key, KeyboardMode, string, boolean]>([
    ["a letter", mode(), "ab", c("c"), mode(), "abc", false],
    ["a letter with shift (one-shot)", mode({ shift: true }), "", c("A"), mode(), "A", false],
    ["a letter with caps (sticky)", mode({ caps: true }), "A", c("B"), mode({ caps: true }), "AB", false],
    ["删除", mode(), "abc", { kind: "backspace" }, mode(), "ab", false],
    ["删除 on an empty field", mode(), "", { kind: "backspace" }, mode(), "", false],
    ["Shift", mode(), "x", { kind: "shift" }, mode({ shift: true }), "x", false],
    ["大写", mode({ shift: true }), "x", { kind: "caps" }, mode({ caps: true }), "x", false],
    ["符号", mode(), "x", { kind: "symbols" }, mode({ symbols: true }), "x", false],
    ["关闭", mode({ shift: true }), "pw", { kind: "close" }, mode(), "pw", true],
  ])("%s", (_name, before, text, key, after, nextText, closed) => {
    expect(pressKey(before, text, key)).toEqual({ mode: after, text: nextText, closed });
  });

  it("stops at the field's length limit", () => {
    expect(pressKey(mode(), "abc", c("d"), 3).text).toBe("abc");
  });
});
