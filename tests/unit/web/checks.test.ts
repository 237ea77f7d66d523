import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  beijingTime,
  declarationPasswordChecklist,
  loginNameChecklist,
  passwordChecklist,
  secondsUntil,
} from "../../../server/web/common/checks";
import { checkLoginName } from "../../../shared/rules/login-name";
import { checkPassword } from "../../../shared/rules/password";

type Checklist = { valid: boolean; checks: { label: string; ok: boolean }[] };
const failed = (list: Checklist) => list.checks.filter((c) => !c.ok).map((c) => c.label);

/** For every generated string: the checklist is valid exactly when the shared rule accepts it, and `also` holds. */
function agreesWithRule(
  checklist: (s: string) => Checklist,
  rule: (s: string) => { ok: boolean },
  strings: fc.Arbitrary<string>,
  also: (list: Checklist, s: string) => void,
): void {
  fc.assert(
    fc.property(strings, (s) => {
      const list = checklist(s);
      expect(list.valid).toBe(rule(s).ok);
      also(list, s);
    }),
  );
}

describe("the login-name checklist (seed 2.1)", () => {
  it.each([
    ["张三_2024", []],
    ["a", ["2-16位字符"]],
    ["12345", ["不支持纯数字"]],
    ["zhang san", ["可由大小写字母、数字、中文、下划线构成"]],
    ["𠀀𠀁", []],
    ["abcdefghijklmnopq", ["2-16位字符"]],
  ])("%s breaks %j", (value, broken) => {
    expect(failed(loginNameChecklist(value))).toEqual(broken);
  });

  it("marks every line kept exactly when the shared rule accepts the name", () => {
    const names = fc.string({ unit: fc.constantFrom("a", "Z", "1", "_", "张", "𠀀", " ", "-", "·") });
    agreesWithRule(loginNameChecklist, checkLoginName, names, (list, s) => {
      if (list.valid) expect(failed(list)).toEqual([]);
      else if (s.trim() !== "") expect(failed(list).length).toBeGreaterThan(0);
    });
  });
});

describe("the password checklist (seed 2.1)", () => {
  it.each([
    ["Abcdef1!", []],
    ["Abcdef12", []],
    ["abcdefgh", ["字母大写、字母小写、数字、特殊字符其中三种或以上"]],
    ["Ab1!", ["8-15位"]],
    ["Abc def12", ["不允许空格"]],
    ["Abcdef12密码", ["只能使用字母、数字和英文特殊字符"]],
  ])("%s breaks %j", (value, broken) => {
    expect(failed(passwordChecklist(value))).toEqual(broken);
  });

  it("marks every line kept exactly when the shared rule accepts the password", () => {
    const passwords = fc.string({ unit: fc.constantFrom("a", "B", "3", "#", " ", "中", "é"), maxLength: 20 });
    agreesWithRule(passwordChecklist, checkPassword, passwords, (list) => {
      expect(failed(list).length === 0).toBe(list.valid);
    });
  });
});

describe("the declaration-password checklist", () => {
  it.each([
    ["Abcd1234", true],
    ["abcd123", false],
    ["Abcd1234!", false],
    ["A".repeat(21), false],
  ])("%s is valid: %s", (value, valid) => {
    expect(declarationPasswordChecklist(value).valid).toBe(valid);
  });
});

describe("the SMS resend countdown", () => {
  const now = Date.parse("2024-03-01T09:00:00Z");
  it.each([
    ["2024-03-01T09:01:00Z", 60],
    ["2024-03-01T09:00:30.200Z", 31],
    ["2024-03-01T08:59:00Z", 0],
    ["2024-03-01T09:05:00Z", 60], // the phone's clock runs behind the hub's: never more than the interval
    [undefined, 60],
    ["not a time", 60],
  ])("until %s is %i seconds", (at, seconds) => {
    expect(secondsUntil(at, now)).toBe(seconds);
  });
});

describe("times shown to people in China", () => {
  it("are Beijing wall-clock times whatever the phone's zone", () => {
    expect(beijingTime("2024-03-01T01:02:03Z")).toBe("2024-03-01 09:02:03");
    expect(beijingTime("2024-03-01T20:00:00-05:00")).toBe("2024-03-02 09:00:00");
    expect(beijingTime("nonsense")).toBe("—");
  });
});
