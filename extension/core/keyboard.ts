// The soft keyboard of the password fields (seed 1.1: "密码默认启用软件盘输入"). Pure: the layout of
// each mode and what a key press does to the text; the component only draws and forwards clicks.
export type Key =
  | { kind: "char"; value: string }
  | { kind: "shift" }
  | { kind: "caps" }
  | { kind: "symbols" }
  | { kind: "backspace" }
  | { kind: "close" };

export interface KeyboardMode {
  /** One-shot upper case: the next letter only. */
  shift: boolean;
  /** Sticky upper case until pressed again. */
  caps: boolean;
  /** The symbol plane instead of letters. */
  symbols: boolean;
}

export const INITIAL_MODE: KeyboardMode = { shift: false, caps: false, symbols: false };

const DIGITS = "1234567890";
const LETTER_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const SYMBOL_ROWS = ["!@#$%^&*()", "-_=+[]{}\\|", ";:'\",.<>/?", "`~"];

const chars = (row: string, upper = false): Key[] =>
  [...row].map((c) => ({ kind: "char", value: upper ? c.toUpperCase() : c }));

/** The rows to draw for a mode. Every mode keeps the digits and the same control keys. */
export function keyboardRows(mode: KeyboardMode): Key[][] {
  if (mode.symbols) {
    const [a = "", b = "", c = "", d = ""] = SYMBOL_ROWS;
    return [
      chars(DIGITS),
      chars(a),
      chars(b),
      [...chars(c)],
      [{ kind: "symbols" }, ...chars(d), { kind: "backspace" }, { kind: "close" }],
    ];
  }
  const upper = mode.shift !== mode.caps;
  const [a = "", b = "", c = ""] = LETTER_ROWS;
  return [
    chars(DIGITS),
    chars(a, upper),
    chars(b, upper),
    [{ kind: "shift" }, ...chars(c, upper), { kind: "backspace" }],
    [{ kind: "caps" }, { kind: "symbols" }, { kind: "close" }],
  ];
}

export interface KeyResult {
  mode: KeyboardMode;
  text: string;
  /** The person pressed 关闭. */
  closed: boolean;
}

/** Apply one key press to the typed text. `max` bounds the field like its input does. */
export function pressKey(mode: KeyboardMode, text: string, key: Key, max = 64): KeyResult {
  switch (key.kind) {
    case "char": {
      const next = [...text].length < max ? text + key.value : text;
      // Shift is one-shot: it applies to this character only.
      return { mode: { ...mode, shift: false }, text: next, closed: false };
    }
    case "backspace":
      return { mode, text: [...text].slice(0, -1).join(""), closed: false };
    case "shift":
      return { mode: { ...mode, shift: !mode.shift }, text, closed: false };
    case "caps":
      return { mode: { ...mode, caps: !mode.caps, shift: false }, text, closed: false };
    case "symbols":
      return { mode: { ...mode, symbols: !mode.symbols, shift: false }, text, closed: false };
    case "close":
      return { mode: { ...mode, shift: false }, text, closed: true };
  }
}

/** The label a key shows (the seed's 【关闭】, and the usual Chinese soft-keyboard words). */
export function keyLabel(key: Key, mode: KeyboardMode): string {
  switch (key.kind) {
    case "char":
      return key.value;
    case "shift":
      return "⇧";
    case "caps":
      return "大写";
    case "symbols":
      return mode.symbols ? "ABC" : "符号";
    case "backspace":
      return "删除";
    case "close":
      return "关闭";
  }
}

/** The name a screen reader says, where the label is a symbol: ⇧ is 上档键 (the next letter upper-case). */
export function keyName(key: Key): string | undefined {
  return key.kind === "shift" ? "上档键" : undefined;
}
