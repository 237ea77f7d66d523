import type { z } from "zod";

// Bodies and messages built from their own zod schemas, for tests that send every edge bad input: one
// plausible value per schema, then one variant per string field with a NUL or another control
// character in it (everything else left plausible, so the bad field is what the edge meets).

type Any = z.ZodType;
interface Def {
  type: string;
  shape?: Record<string, Any>;
  innerType?: Any;
  element?: Any;
  options?: Any[];
  entries?: Record<string, string>;
  values?: unknown[];
  in?: Any;
  checks?: { _zod: { def: { check: string; value?: number; minimum?: number } } }[];
}
const defOf = (s: Any) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strings that fit most fields of the protocol: tokens, taxpayer IDs, names, passwords, codes. */
const CANDIDATES = [
  "A".repeat(22),
  "91110108MA05JK552K",
  "110101199003074514",
  "13900000001",
  "Passw0rd!x",
  "wangfang",
  "张三",
  "K7MX",
  "123456",
  "2024-03-01T09:00:00+08:00",
  "x",
];

export const CONTROL_STRINGS = ["\u0000", "a\u0000b", "ab\u0007c", "\u001b[31m", "a\u007fb"];

function stringFor(s: Any): string {
  return CANDIDATES.find((c) => s.safeParse(c).success) ?? "x";
}

/** One plausible value of `s`. */
export function sample(s: Any): unknown {
  const d = defOf(s);
  switch (d.type) {
    case "object":
      return Object.fromEntries(Object.entries(d.shape ?? {}).map(([k, v]) => [k, sample(v)]));
    case "string":
      return stringFor(s);
    case "number":
      return d.checks?.map((c) => c._zod.def.value ?? c._zod.def.minimum).find((v) => v !== undefined) ?? 1;
    case "boolean":
      return true;
    case "enum":
      return Object.values(d.entries ?? {})[0];
    case "literal":
      return d.values?.[0];
    case "optional":
    case "nullable":
    case "default":
    case "readonly":
      return sample(d.innerType as Any);
    case "array":
      return [sample(d.element as Any)];
    case "union":
      return sample((d.options ?? [])[0] as Any);
    case "pipe":
      return sample(d.in as Any);
    default:
      return undefined;
  }
}

/** `value` with every string field in turn set to each control string: [path, value] pairs. */
export function controlVariants(s: Any, value = sample(s)): [string, unknown][] {
  const out: [string, unknown][] = [];
  const walk = (schema: Any, path: string[], set: (v: unknown) => unknown) => {
    const d = defOf(schema);
    if (d.type === "string") {
      for (const bad of CONTROL_STRINGS) out.push([path.join("."), set(bad)]);
    } else if (d.type === "object") {
      for (const [k, v] of Object.entries(d.shape ?? {}))
        walk(v, [...path, k], (x) => set({ ...(getAt(value, path) as object), [k]: x }));
    } else if (["optional", "nullable", "default", "readonly"].includes(d.type)) {
      walk(d.innerType as Any, path, set);
    } else if (d.type === "array") {
      walk(d.element as Any, [...path, "0"], (x) => set([x]));
    }
  };
  walk(s, [], (v) => v);
  return out;
}

function getAt(v: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v);
}

/** Every zod object schema a module exports. */
export function objectSchemas(mod: Record<string, unknown>): [string, Any][] {
  return Object.entries(mod).filter(
    (e): e is [string, Any] =>
      typeof e[1] === "object" && e[1] !== null && "_zod" in e[1] && defOf(e[1] as Any).type === "object",
  );
}
