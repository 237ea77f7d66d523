import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import type { CaptchaAnswer, CaptchaPurpose } from "../../shared/protocol";
import type { OneUseStore } from "../bus/one-use";
import { hashToken, newToken } from "../kernel/tokens";
import { drawCaptcha } from "./image";

// seed 1.1 / 1.3.1: "密码错误的还需输入验证码进行校验". A server-drawn image, one use, 5 minutes,
// case-insensitive. Only a hash of the answer is stored, keyed by a hash of the id, so a look at
// the store reveals neither (the 128-bit id salts the hash: a 4-character answer can't be guessed
// back from it).

export const CAPTCHA_TTL_MS = 5 * 60_000;
export const CAPTCHA_LENGTH = 4;
/**
 * Upper case and digits with no look-alikes, at most one of each group: 0/O/Q/D, 1/I/L, 2/Z/7, 5/S, 6/G,
 * 8/B, U/V, and, once bent and drawn hollow, 4/A and P/R. Still 21 signs starting with A (the bench's
 * known-captcha preload relies on both).
 */
export const CAPTCHA_ALPHABET = "ACEFHJKLMNPSTUWXY3679";

type Purpose = z.infer<typeof CaptchaPurpose>;

/** The fields of the `captcha` message, ready to send. */
export interface IssuedCaptcha {
  purpose: Purpose;
  id: string;
  /** data:image/png;base64,… (see ./image.ts) */
  image: string;
  expiresAt: string;
}

export type CaptchaCheck = { ok: true } | { ok: false; code: "CAPTCHA_WRONG" | "CAPTCHA_EXPIRED" };

export function randomCaptchaText(): string {
  let text = "";
  for (let i = 0; i < CAPTCHA_LENGTH; i++) text += CAPTCHA_ALPHABET[randomInt(CAPTCHA_ALPHABET.length)];
  return text;
}

/** Case-insensitive, and forgiving of a Chinese IME's full-width letters and stray spaces. */
function normalize(answer: string): string {
  return answer.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
}

function answerHash(purpose: Purpose, id: string, answer: string): Buffer {
  return createHash("sha256")
    .update(`captcha\n${purpose}\n${id}\n${normalize(answer)}`)
    .digest();
}

export interface CaptchaServiceOptions {
  store: OneUseStore;
  /** Tests pass a known text; production uses the CSPRNG. */
  newText?: () => string;
}

export class CaptchaService {
  private readonly store: OneUseStore;
  private readonly newText: () => string;

  constructor(options: CaptchaServiceOptions) {
    this.store = options.store;
    this.newText = options.newText ?? randomCaptchaText;
  }

  async issue(purpose: Purpose, now: Date): Promise<IssuedCaptcha> {
    const id = newToken();
    const text = this.newText();
    const expiresAt = new Date(now.getTime() + CAPTCHA_TTL_MS);
    const stored = `${expiresAt.getTime()}.${answerHash(purpose, id, text).toString("base64url")}`;
    await this.store.put(`captcha:${hashToken(id)}`, stored, CAPTCHA_TTL_MS);
    return {
      purpose,
      id,
      image: `data:image/png;base64,${drawCaptcha(text).toString("base64")}`,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** Any check, right or wrong, uses the captcha up: a wrong answer needs a new image. */
  async check(purpose: Purpose, given: CaptchaAnswer, now: Date): Promise<CaptchaCheck> {
    const stored = await this.store.take(`captcha:${hashToken(given.id)}`);
    if (!stored) return { ok: false, code: "CAPTCHA_EXPIRED" };
    const [expiresAtMs, hash] = stored.split(".");
    if (now.getTime() >= Number(expiresAtMs)) return { ok: false, code: "CAPTCHA_EXPIRED" };
    const expected = Buffer.from(hash ?? "", "base64url");
    const actual = answerHash(purpose, given.id, given.answer);
    const right = expected.length === actual.length && timingSafeEqual(expected, actual);
    return right ? { ok: true } : { ok: false, code: "CAPTCHA_WRONG" };
  }
}
