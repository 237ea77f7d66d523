import { z } from "zod";

/** Bumped on any change a deployed client could trip over; `hello` carries it. */
export const PROTOCOL_VERSION = 1;

/** Largest frame the hub reads from a client (bytes). Bigger ones close the socket (1009). */
export const MAX_FRAME_BYTES = 16 * 1024;

/** Optional request id: the hub echoes it on the direct reply or error, so a client can match them. */
export const rid = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** Opaque random tokens, ids and secrets: base64url, 22 characters (128 bits) up to 64. */
export const token = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/);

/** NUL, the other C0/C1 controls and DEL, and lone surrogates: nothing a person types, and nothing a store
 *  should meet (PostgreSQL refuses NUL in text). */
const CONTROL = /[\p{Cc}\p{Cs}]/u;
/** Line breaks and tabs, which a block of text (PEM) may hold. */
const LINES = /[\t\r\n]/g;

/** A string with no control characters: refused with the field's path (BAD_MESSAGE) at every edge. */
export const plain = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL.test(s), { message: "control characters" });

/** Free text typed by a person: bounded, so a frame can't smuggle megabytes into a field, and plain. */
export const typed = (max: number) => plain(max).min(1);

/** A block of text such as a PEM chain: lines, but no other control characters. */
export const textBlock = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL.test(s.replace(LINES, "")), { message: "control characters" });

export const isoTime = z.iso.datetime({ offset: true });

/** A captcha answer, sent with the attempt that needs it. */
export const CaptchaAnswer = z.strictObject({ id: token, answer: typed(8) });
export type CaptchaAnswer = z.infer<typeof CaptchaAnswer>;

/** Build a message schema: `{ type, rid?, ...fields }`, strict (unknown keys are refused). */
export function message<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.strictObject({ type: z.literal(type), rid: rid.optional(), ...shape });
}
