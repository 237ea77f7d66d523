import { expect, it } from "vitest";
import { type ErrorCode, errorMessage } from "../../../shared/errors";

// The tables every check in shared/rules is tested with: one test per input, the answer a form shows.

type Check = (input: string) => unknown;

/** What a check answers for an input it refuses: the stable code and its Chinese message. */
export const refusal = (code: ErrorCode) => ({ ok: false, code, message: errorMessage(code) });

/** `check` accepts each input as the value beside it. */
export function accepts(check: Check, rows: [input: string, value: string][], title = "accepts %j as %s") {
  it.each(rows)(title, (input, value) => expect(check(input)).toEqual({ ok: true, value }));
}

/** `check` refuses every input with the one `code`. */
export function refuses(check: Check, code: ErrorCode, inputs: string[], title = "refuses %j") {
  it.each(inputs)(title, (input) => expect(check(input)).toEqual(refusal(code)));
}

/** `check` refuses each input with the code beside it (what follows says why). */
export function refusesWith(
  check: Check,
  rows: [input: string, code: ErrorCode, ...why: string[]][],
  title = "refuses %j with %s (%s)",
) {
  it.each(rows)(title, (input, code) => expect(check(input)).toEqual(refusal(code)));
}
