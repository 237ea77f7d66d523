import { z } from "zod";
import { CaptchaAnswer, isoTime, message, typed } from "./common";

// seed 1.3 — 单位办税验证. Shapes only: the hub checks the taxpayer ID's check character itself,
// so a wrong one gets its own code.
const taxId = z.string().min(1).max(32);
const declarationPassword = typed(64);

export const CompanyAccess = z.enum(["bound", "authorized"]);

export const CompanyView = z.strictObject({
  taxId: z.string(),
  name: z.string(),
  /** bound: enters with the declaration password (or CA); authorized: by the legal representative's grant. */
  access: CompanyAccess,
  /** May verify by CA now: a 本市单位 (the hall registered it as local), bound, before CA_CUTOFF, on a hub
   *  with a CA root. Worked out each time the list is sent; the hub still refuses CA after the cut-off. */
  ca: z.boolean(),
  /** Set while the declaration password is locked. */
  lockedUntil: isoTime.optional(),
});

export const CompanyListRequest = message("company.list", {});

export const CompanyList = message("company.list.result", { companies: z.array(CompanyView).max(1000) });

/** First time: add a company by taxpayer ID + declaration password; bound only if the password is right. */
export const CompanyAdd = message("company.add", {
  taxId,
  declarationPassword,
  captcha: CaptchaAnswer.optional(),
});

/** Enter a listed company with its declaration password. */
export const DeclarationVerify = message("declaration.verify", {
  taxId,
  declarationPassword,
  captcha: CaptchaAnswer.optional(),
});

/** Enter an authorizing company with no declaration password. */
export const AuthorizationEnter = message("authorization.enter", { taxId });

/** CA: ask for a nonce, then sign it with the company's certificate key. Only before CA_CUTOFF. */
export const CaChallengeRequest = message("ca.challenge", { taxId });

export const CaChallenge = message("ca.challenge.result", {
  taxId: z.string(),
  nonce: z.string(),
  expiresAt: isoTime,
});

export const CaVerify = message("ca.verify", {
  taxId,
  /** PEM certificate chain, leaf first. */
  certificate: z.string().min(1).max(12_000),
  /** base64 signature over the nonce (ECDSA P-256 SHA-256 or RSASSA-PKCS1-v1_5 SHA-256). */
  signature: z.string().min(1).max(1_024),
});

export const EnterMethod = z.enum(["declaration_password", "authorization", "ca"]);

export const CompanyEntered = message("company.entered", {
  taxId: z.string(),
  name: z.string(),
  via: EnterMethod,
});

/** 切换单位: back to the company list, still logged in. */
export const CompanySwitch = message("company.switch", {});
