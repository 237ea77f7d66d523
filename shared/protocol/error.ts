import { z } from "zod";
import { ERROR_CODES } from "../errors";
import { rid } from "./common";

/** `{ code, message, ...data }`: the message is the Chinese text the UI shows as it is. */
export const ErrorMessage = z.strictObject({
  type: z.literal("error"),
  rid: rid.optional(),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryable: z.boolean().optional(),
  /** The next try must carry a captcha (after a wrong password). */
  captchaRequired: z.boolean().optional(),
  /** Tries left before the lock. */
  attemptsLeft: z.number().int().min(0).optional(),
  /** When a lock ends. */
  lockedUntil: z.iso.datetime({ offset: true }).optional(),
  /** Minutes left of a lock, rounded up. */
  minutesLeft: z.number().int().min(0).optional(),
  /** The schema path of a malformed field. */
  path: z.string().max(200).optional(),
  /** Where the person can go next (e.g. the portal's reset page). */
  links: z.array(z.strictObject({ label: z.string(), url: z.string() })).optional(),
});
