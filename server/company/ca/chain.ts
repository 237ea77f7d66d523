import { x509 } from "./x509";

// Does a PEM chain (leaf first) lead to one of our local CA roots, is every certificate on the way
// valid today, and does the leaf belong to this company?
//
// The taxpayer ID lives in the leaf subject's organizationIdentifier (OID 2.5.4.97, X.520), either
// bare ("91350100M000100Y43") or in the ETSI EN 319 412-1 form "NTRCN-91350100M000100Y43".

export const TAX_ID_ATTRIBUTE = "2.5.4.97";
/** Leaf, intermediates, and perhaps the root itself: longer chains are refused unread. */
export const MAX_CHAIN_LENGTH = 5;

export type ChainCheck =
  | { ok: true; leaf: x509.X509Certificate }
  | { ok: false; code: "CA_INVALID" | "CA_CERT_EXPIRED" | "CA_TAX_ID_MISMATCH" };

/** The configured roots (PEM, one or more). Throws at start-up on anything that is not a CA. */
export function loadRoots(pem: string): x509.X509Certificate[] {
  const roots = x509.PemConverter.decode(pem).map((raw) => new x509.X509Certificate(raw));
  if (roots.length === 0) throw new Error("no CA root certificate in the configured PEM");
  for (const r of roots) if (!isCa(r)) throw new Error(`configured CA root is not a CA: ${r.subject}`);
  return roots;
}

function isCa(c: x509.X509Certificate): boolean {
  return c.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

function allows(c: x509.X509Certificate, usage: x509.KeyUsageFlags): boolean {
  const ku = c.getExtension(x509.KeyUsagesExtension);
  return !ku || (ku.usages & usage) !== 0;
}

function sameCert(a: x509.X509Certificate, b: x509.X509Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}

async function signedBy(child: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  if (child.issuer !== issuer.subject || !isCa(issuer) || !allows(issuer, x509.KeyUsageFlags.keyCertSign)) {
    return false;
  }
  try {
    return await child.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

function parseChain(pem: string): x509.X509Certificate[] | null {
  try {
    const raws = x509.PemConverter.decode(pem);
    if (raws.length === 0 || raws.length > MAX_CHAIN_LENGTH) return null;
    return raws.map((raw) => new x509.X509Certificate(raw));
  } catch {
    return null;
  }
}

export function carriesTaxId(leaf: x509.X509Certificate, taxId: string): boolean {
  return leaf.subjectName.getField(TAX_ID_ATTRIBUTE).some((v) => v === taxId || v === `NTRCN-${taxId}`);
}

export async function verifyChain(
  pem: string,
  roots: readonly x509.X509Certificate[],
  taxId: string,
  now: Date,
): Promise<ChainCheck> {
  const chain = parseChain(pem);
  const leaf = chain?.[0];
  if (!chain || !leaf || isCa(leaf) || !allows(leaf, x509.KeyUsageFlags.digitalSignature)) {
    return { ok: false, code: "CA_INVALID" };
  }

  // Walk up: each certificate signed by the next; the last one is a root or signed by one.
  const path = [...chain];
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!(await signedBy(chain[i] as x509.X509Certificate, chain[i + 1] as x509.X509Certificate))) {
      return { ok: false, code: "CA_INVALID" };
    }
  }
  const top = chain[chain.length - 1] as x509.X509Certificate;
  if (!roots.some((r) => sameCert(r, top))) {
    let anchor: x509.X509Certificate | undefined;
    for (const r of roots) if (await signedBy(top, r)) anchor = r;
    if (!anchor) return { ok: false, code: "CA_INVALID" };
    path.push(anchor);
  }

  const t = now.getTime();
  if (path.some((c) => t < c.notBefore.getTime() || t > c.notAfter.getTime())) {
    return { ok: false, code: "CA_CERT_EXPIRED" };
  }
  if (!carriesTaxId(leaf, taxId)) return { ok: false, code: "CA_TAX_ID_MISMATCH" };
  return { ok: true, leaf };
}

/** ECDSA P-256 signatures may come raw (r‖s, 64 bytes, as WebCrypto makes them) or DER (as most tools do). */
export function ecdsaDerToRaw(sig: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> | null {
  if (sig.length === 64) return sig;
  // SEQUENCE { INTEGER r, INTEGER s }, short-form lengths (a P-256 signature is at most 72 bytes).
  if (sig[0] !== 0x30 || sig[1] !== sig.length - 2) return null;
  const out = new Uint8Array(64);
  let at = 2;
  for (const half of [0, 32]) {
    if (sig[at] !== 0x02) return null;
    const len = sig[at + 1] ?? 0;
    let int = sig.subarray(at + 2, at + 2 + len);
    at += 2 + len;
    while (int.length > 32 && int[0] === 0) int = int.subarray(1);
    if (int.length > 32 || len === 0) return null;
    out.set(int, half + 32 - int.length);
  }
  return at === sig.length ? out : null;
}

/** Did the leaf's key sign `data`? ECDSA P-256 SHA-256 or RSASSA-PKCS1-v1_5 SHA-256 only. */
export async function verifySignature(
  leaf: x509.X509Certificate,
  data: Uint8Array<ArrayBuffer>,
  signatureBase64: string,
): Promise<boolean> {
  const sig = new Uint8Array(Buffer.from(signatureBase64, "base64"));
  const alg = leaf.publicKey.algorithm as { name: string; namedCurve?: string };
  try {
    if (alg.name === "ECDSA" && alg.namedCurve === "P-256") {
      const raw = ecdsaDerToRaw(sig);
      if (!raw) return false;
      const key = await leaf.publicKey.export({ name: "ECDSA", namedCurve: "P-256" }, ["verify"]);
      return await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, raw, data);
    }
    if (alg.name === "RSASSA-PKCS1-v1_5") {
      const key = await leaf.publicKey.export({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, ["verify"]);
      return await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, sig, data);
    }
  } catch {
    return false;
  }
  return false;
}
