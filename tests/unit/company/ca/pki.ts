import { x509 } from "../../../../server/company/ca/x509";

// A throwaway local CA for the tests: a root, an optional intermediate, company leaves.

export const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
export const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;
type Alg = typeof EC | typeof RSA;

export const validFrom = new Date("2019-01-01T00:00:00Z");
export const validTo = new Date("2022-01-01T00:00:00Z");

export interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  pem: string;
}

export async function keysFor(alg: Alg): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
}

const caExtensions = () => [
  new x509.BasicConstraintsExtension(true, undefined, true),
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
];

export async function makeRoot(name = "CN=某市数字证书认证中心 Test Root", alg: Alg = EC): Promise<Issued> {
  const keys = await keysFor(alg);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    notBefore: validFrom,
    notAfter: validTo,
    signingAlgorithm: alg,
    extensions: caExtensions(),
  });
  return { cert, keys, pem: cert.toString("pem") };
}

export async function makeIntermediate(issuer: Issued, alg: Alg = EC): Promise<Issued> {
  const keys = await keysFor(alg);
  const cert = await x509.X509CertificateGenerator.create({
    subject: "CN=某市数字证书认证中心 Test Issuing CA",
    issuer: issuer.cert.subject,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    notBefore: validFrom,
    notAfter: validTo,
    signingAlgorithm: issuer.keys.privateKey.algorithm.name === "ECDSA" ? EC : RSA,
    extensions: caExtensions(),
  });
  return { cert, keys, pem: cert.toString("pem") };
}

export interface LeafOptions {
  taxIdValue?: string;
  alg?: Alg;
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
}

export async function makeLeaf(issuer: Issued, o: LeafOptions = {}): Promise<Issued> {
  const keys = await keysFor(o.alg ?? EC);
  const cert = await x509.X509CertificateGenerator.create({
    subject: [{ CN: ["福州某某科技有限公司"] }, { "2.5.4.97": [o.taxIdValue ?? "91350100M000100Y43"] }],
    issuer: issuer.cert.subject,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    notBefore: o.notBefore ?? validFrom,
    notAfter: o.notAfter ?? validTo,
    signingAlgorithm: issuer.keys.privateKey.algorithm.name === "ECDSA" ? EC : RSA,
    extensions: [
      new x509.BasicConstraintsExtension(o.ca ?? false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | (o.ca ? x509.KeyUsageFlags.keyCertSign : 0),
        true,
      ),
    ],
  });
  return { cert, keys, pem: cert.toString("pem") };
}

/** A self-signed "company" certificate that no CA ever issued. */
export async function makeSelfSignedLeaf(taxIdValue = "91350100M000100Y43"): Promise<Issued> {
  const keys = await keysFor(EC);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: ["福州某某科技有限公司"] }, { "2.5.4.97": [taxIdValue] }],
    keys,
    notBefore: validFrom,
    notAfter: validTo,
    signingAlgorithm: EC,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return { cert, keys, pem: cert.toString("pem") };
}

/** Sign the nonce as a client would: ECDSA raw (WebCrypto) or RSASSA-PKCS1-v1_5, base64. */
export async function sign(keys: CryptoKeyPair, text: string): Promise<string> {
  const alg =
    keys.privateKey.algorithm.name === "ECDSA" ? { name: "ECDSA", hash: "SHA-256" } : "RSASSA-PKCS1-v1_5";
  const sig = await crypto.subtle.sign(alg, keys.privateKey, new TextEncoder().encode(text));
  return Buffer.from(sig).toString("base64");
}

/** The same raw ECDSA signature in DER, as OpenSSL and smart-card middleware produce it. */
export function rawToDer(rawB64: string): string {
  const raw = Buffer.from(rawB64, "base64");
  const int = (b: Buffer) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.subarray(i);
    if ((v[0] ?? 0) & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString("base64");
}
