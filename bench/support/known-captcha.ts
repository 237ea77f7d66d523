import crypto from "node:crypto";
import { syncBuiltinESMExports } from "node:module";
import { KNOWN_CAPTCHA } from "./known-captcha-answer";

// BENCH ONLY, preloaded into the hubs of the lockout suite (`--import`): every captcha the hub draws
// reads KNOWN_CAPTCHA ("AAAA"), so scripted tries can answer it. The lockout figure is about how many wrong
// passwords get verified when 50 arrive at once on two nodes; each try must carry a solved captcha
// (seed 1.1: after a wrong password the next needs one), which a script cannot read off an image.
// How: the captcha service picks each character with crypto.randomInt(alphabet length); this makes
// exactly that call answer 0 (the alphabet's first letter) and leaves every other use alone.

const CAPTCHA_ALPHABET_LENGTH = 21; // server/captcha/service.ts CAPTCHA_ALPHABET.length
if (!KNOWN_CAPTCHA.startsWith("A")) throw new Error("KNOWN_CAPTCHA must be the alphabet's first letter");

const real = crypto.randomInt;
crypto.randomInt = ((...args: unknown[]) => {
  if (args.length === 1 && args[0] === CAPTCHA_ALPHABET_LENGTH) return 0;
  return (real as (...a: unknown[]) => unknown)(...args);
}) as typeof crypto.randomInt;
syncBuiltinESMExports(); // named imports (`import { randomInt } from "node:crypto"`) see it too
