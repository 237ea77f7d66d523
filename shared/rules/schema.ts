import { z } from "zod";
import { checkIdNumber } from "./id-number";
import { IdTypeSchema } from "./id-types";
import type { RuleResult } from "./result";

/**
 * A rule as a zod string schema for protocol and HTTP bodies: the output is the rule's normalized value; a
 * failure is a custom issue whose message is the Chinese text and whose `params.code` is the error code,
 * so an edge can answer `errorBody(code)` as it is.
 */
export function ruleSchema<T>(check: (s: string) => RuleResult<T>) {
  return z.string().transform((s, ctx): T => {
    const r = check(s);
    if (r.ok) return r.value;
    ctx.addIssue({ code: "custom", message: r.message, params: { code: r.code }, input: s });
    return z.NEVER;
  });
}

/**
 * An ID type and number together, the number checked as that type expects (`checkIdNumber`); a failure
 * sits on the `idNumber` path, except an unknown type, which the enum refuses on `idType`.
 * Marked pure so a bundle that does not use it (the popup) also drops the region data `checkIdNumber` needs.
 */
export const IdDocumentSchema = /* @__PURE__ */ idDocumentSchema();

function idDocumentSchema() {
  return z.strictObject({ idType: IdTypeSchema, idNumber: z.string() }).transform((doc, ctx) => {
    const r = checkIdNumber(doc.idType, doc.idNumber);
    if (r.ok) return { idType: doc.idType, idNumber: r.value };
    ctx.addIssue({
      code: "custom",
      message: r.message,
      params: { code: r.code },
      path: ["idNumber"],
      input: doc,
    });
    return z.NEVER;
  });
}
