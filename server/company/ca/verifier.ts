import type { OneUseStore } from "../../bus/one-use";
import type { Config } from "../../config";
import { hashToken, newToken } from "../../kernel/tokens";
import { verifyChain, verifySignature } from "./chain";
import type { x509 } from "./x509";

// seed 1.3: "本市单位也可通过CA进行校验", and "2020年1月1日后，扣缴客户端将不再支持以CA方式进行登录".
//
//   client                         hub
//   ca.challenge {taxId}   ──────▶ before CA_CUTOFF? store nonce under (connection, taxId), 2 min
//                          ◀────── ca.challenge.result {nonce, expiresAt}
//   sign(nonce) with the company certificate's key
//   ca.verify {taxId, chain, sig} ▶ take the nonce (one use, whatever the outcome), then
//                                   chain → root, dates, taxpayer ID in subject, signature
//
// The signed bytes are the nonce's UTF-8 text; the nonce starts with a fixed label so a signature
// made here cannot pass for anything else the key signs.

export const CA_CHALLENGE_TTL_MS = 2 * 60_000;
export const CA_NONCE_LABEL = "shiming-ca-login-v1.";

export type CaChallengeResult =
  | { ok: true; taxId: string; nonce: string; expiresAt: string }
  | { ok: false; code: "CA_NOT_OFFERED" };

export type CaVerifyResult =
  | { ok: true; taxId: string; certificate: { subject: string; serialNumber: string; notAfter: string } }
  | {
      ok: false;
      code:
        | "CA_NOT_OFFERED"
        | "CA_CHALLENGE_EXPIRED"
        | "CA_INVALID"
        | "CA_CERT_EXPIRED"
        | "CA_TAX_ID_MISMATCH";
    };

export interface CaVerifierOptions {
  /** The local CA's root certificate(s), parsed by `loadRoots`. */
  roots: readonly x509.X509Certificate[];
  gates: Pick<Config, "caCutoff">;
  nonces: OneUseStore;
}

export class CaVerifier {
  constructor(private readonly options: CaVerifierOptions) {}

  offered(now: Date): boolean {
    return now.getTime() < this.options.gates.caCutoff.getTime();
  }

  /** `holder` ties the nonce to one connection (or session): another socket cannot answer it. */
  async challenge(holder: string, taxId: string, now: Date): Promise<CaChallengeResult> {
    if (!this.offered(now)) return { ok: false, code: "CA_NOT_OFFERED" };
    const nonce = `${CA_NONCE_LABEL}${newToken()}`;
    const expiresAt = new Date(now.getTime() + CA_CHALLENGE_TTL_MS);
    await this.options.nonces.put(key(holder, taxId), `${expiresAt.getTime()}.${nonce}`, CA_CHALLENGE_TTL_MS);
    return { ok: true, taxId, nonce, expiresAt: expiresAt.toISOString() };
  }

  async verify(
    holder: string,
    answer: { taxId: string; certificate: string; signature: string },
    now: Date,
  ): Promise<CaVerifyResult> {
    if (!this.offered(now)) return { ok: false, code: "CA_NOT_OFFERED" };
    const stored = await this.options.nonces.take(key(holder, answer.taxId));
    const dot = stored?.indexOf(".") ?? -1;
    if (!stored || dot < 0 || now.getTime() >= Number(stored.slice(0, dot))) {
      return { ok: false, code: "CA_CHALLENGE_EXPIRED" };
    }
    const nonce = stored.slice(dot + 1);

    const chain = await verifyChain(answer.certificate, this.options.roots, answer.taxId, now);
    if (!chain.ok) return chain;
    if (!(await verifySignature(chain.leaf, new TextEncoder().encode(nonce), answer.signature))) {
      return { ok: false, code: "CA_INVALID" };
    }
    return {
      ok: true,
      taxId: answer.taxId,
      certificate: {
        subject: chain.leaf.subject,
        serialNumber: chain.leaf.serialNumber,
        notAfter: chain.leaf.notAfter.toISOString(),
      },
    };
  }
}

function key(holder: string, taxId: string): string {
  return `ca:${hashToken(`${holder}\n${taxId}`)}`;
}
