import { beforeAll, describe, expect, it } from "vitest";
import { MemoryOneUseStore } from "../../../../server/bus/one-use";
import { ecdsaDerToRaw, loadRoots } from "../../../../server/company/ca/chain";
import { CA_CHALLENGE_TTL_MS, CA_NONCE_LABEL, CaVerifier } from "../../../../server/company/ca/verifier";
import { beijingMidnight } from "../../../../server/config";
import { ERRORS } from "../../../../shared/errors";
import { CaChallenge } from "../../../../shared/protocol";
import {
  type Issued,
  makeIntermediate,
  makeLeaf,
  makeRoot,
  makeSelfSignedLeaf,
  RSA,
  rawToDer,
  sign,
} from "./pki";

const TAX_ID = "91350100M000100Y43";
const caCutoff = beijingMidnight("2020-01-01");
const before = new Date("2019-12-20T10:00:00+08:00");
const holder = "conn-1";

let root: Issued;
const clock = before.getTime();
let verifier: CaVerifier;

beforeAll(async () => {
  root = await makeRoot();
  verifier = new CaVerifier({
    roots: loadRoots(root.pem),
    gates: { caCutoff },
    nonces: new MemoryOneUseStore({ now: () => clock }),
  });
});

/** Ask for a challenge, sign it with the leaf's key, send chain + signature. */
async function login(leaf: Issued, chainPem = leaf.pem, now = before, signer = leaf.keys) {
  const c = await verifier.challenge(holder, TAX_ID, now);
  if (!c.ok) throw new Error(c.code);
  return verifier.verify(
    holder,
    { taxId: TAX_ID, certificate: chainPem, signature: await sign(signer, c.nonce) },
    now,
  );
}

describe("CA verification before the cut-off", () => {
  it("issues a labelled single-use nonce the protocol accepts", async () => {
    const c = await verifier.challenge(holder, TAX_ID, before);
    expect(c).toMatchObject({ ok: true, taxId: TAX_ID });
    if (!c.ok) return;
    expect(c.nonce.startsWith(CA_NONCE_LABEL)).toBe(true);
    expect(c.expiresAt).toBe(new Date(before.getTime() + CA_CHALLENGE_TTL_MS).toISOString());
    const { ok: _ok, ...fields } = c;
    expect(CaChallenge.safeParse({ type: "ca.challenge.result", ...fields }).success).toBe(true);
  });

  it("accepts an ECDSA P-256 leaf issued by the local root that carries the taxpayer ID", async () => {
    const leaf = await makeLeaf(root);
    const r = await login(leaf);
    expect(r).toMatchObject({
      ok: true,
      taxId: TAX_ID,
      certificate: { subject: expect.stringContaining(TAX_ID) },
    });
  });

  it("accepts an RSA leaf through an intermediate, with the root sent along too", async () => {
    const issuing = await makeIntermediate(root);
    const leaf = await makeLeaf(issuing, { alg: RSA });
    expect(await login(leaf, leaf.pem + issuing.pem)).toMatchObject({ ok: true });
    expect(await login(leaf, leaf.pem + issuing.pem + root.pem)).toMatchObject({ ok: true });
  });

  it("accepts a DER-encoded ECDSA signature as smart-card tools make them", async () => {
    const leaf = await makeLeaf(root);
    const c = await verifier.challenge(holder, TAX_ID, before);
    if (!c.ok) throw new Error(c.code);
    const der = rawToDer(await sign(leaf.keys, c.nonce));
    expect(
      await verifier.verify(holder, { taxId: TAX_ID, certificate: leaf.pem, signature: der }, before),
    ).toMatchObject({
      ok: true,
    });
  });

  it("accepts the ETSI form NTRCN-<taxpayer ID> in organizationIdentifier", async () => {
    expect(await login(await makeLeaf(root, { taxIdValue: `NTRCN-${TAX_ID}` }))).toMatchObject({ ok: true });
  });

  it("refuses a certificate of another company", async () => {
    expect(await login(await makeLeaf(root, { taxIdValue: "91110000100000000X" }))).toEqual({
      ok: false,
      code: "CA_TAX_ID_MISMATCH",
    });
  });

  it("refuses a self-signed company certificate not from the root", async () => {
    expect(await login(await makeSelfSignedLeaf())).toEqual({ ok: false, code: "CA_INVALID" });
  });

  it("refuses a leaf from an impostor root that copies the real root's name", async () => {
    const impostor = await makeRoot(root.cert.subject);
    const leaf = await makeLeaf(impostor);
    expect(await login(leaf)).toEqual({ ok: false, code: "CA_INVALID" });
    expect(await login(leaf, leaf.pem + impostor.pem)).toEqual({ ok: false, code: "CA_INVALID" });
  });

  it("refuses a chain where a company certificate poses as the issuer", async () => {
    const company = await makeLeaf(root);
    const child = await makeLeaf(company);
    expect(await login(child, child.pem + company.pem)).toEqual({ ok: false, code: "CA_INVALID" });
  });

  it("refuses a CA certificate presented as the company's", async () => {
    expect(await login(await makeLeaf(root, { ca: true }))).toEqual({ ok: false, code: "CA_INVALID" });
  });

  it.each([
    ["expired", { notBefore: new Date("2018-01-01Z"), notAfter: new Date("2019-06-30Z") }],
    ["not yet valid", { notBefore: new Date("2019-12-25Z"), notAfter: new Date("2021-01-01Z") }],
  ])("refuses an %s certificate", async (_label, dates) => {
    const r = await login(await makeLeaf(root, dates));
    expect(r).toEqual({ ok: false, code: "CA_CERT_EXPIRED" });
    if (!r.ok) expect(ERRORS[r.code]).toBe("CA证书已过期或尚未生效");
  });

  it("refuses a signature over the nonce by another key", async () => {
    const leaf = await makeLeaf(root);
    const other = await makeLeaf(root);
    expect(await login(leaf, leaf.pem, before, other.keys)).toEqual({ ok: false, code: "CA_INVALID" });
  });

  it("refuses a signature over something other than the nonce", async () => {
    const leaf = await makeLeaf(root);
    await verifier.challenge(holder, TAX_ID, before);
    const sig = await sign(leaf.keys, "some other text");
    expect(
      await verifier.verify(holder, { taxId: TAX_ID, certificate: leaf.pem, signature: sig }, before),
    ).toEqual({
      ok: false,
      code: "CA_INVALID",
    });
  });

  it("refuses a nonce used twice, even the second time with a good signature", async () => {
    const leaf = await makeLeaf(root);
    const c = await verifier.challenge(holder, TAX_ID, before);
    if (!c.ok) throw new Error(c.code);
    const answer = { taxId: TAX_ID, certificate: leaf.pem, signature: await sign(leaf.keys, c.nonce) };
    expect(await verifier.verify(holder, answer, before)).toMatchObject({ ok: true });
    expect(await verifier.verify(holder, answer, before)).toEqual({
      ok: false,
      code: "CA_CHALLENGE_EXPIRED",
    });
  });

  it("burns the nonce on a failed try", async () => {
    const leaf = await makeLeaf(root);
    const c = await verifier.challenge(holder, TAX_ID, before);
    if (!c.ok) throw new Error(c.code);
    const bad = { taxId: TAX_ID, certificate: leaf.pem, signature: await sign(leaf.keys, "x") };
    expect(await verifier.verify(holder, bad, before)).toEqual({ ok: false, code: "CA_INVALID" });
    const good = { ...bad, signature: await sign(leaf.keys, c.nonce) };
    expect(await verifier.verify(holder, good, before)).toEqual({ ok: false, code: "CA_CHALLENGE_EXPIRED" });
  });

  it("refuses an answer from another connection than the one that asked", async () => {
    const leaf = await makeLeaf(root);
    const c = await verifier.challenge(holder, TAX_ID, before);
    if (!c.ok) throw new Error(c.code);
    const answer = { taxId: TAX_ID, certificate: leaf.pem, signature: await sign(leaf.keys, c.nonce) };
    expect(await verifier.verify("conn-2", answer, before)).toEqual({
      ok: false,
      code: "CA_CHALLENGE_EXPIRED",
    });
  });

  it("refuses an answer after the challenge's 2 minutes", async () => {
    const leaf = await makeLeaf(root);
    const c = await verifier.challenge(holder, TAX_ID, before);
    if (!c.ok) throw new Error(c.code);
    const late = new Date(before.getTime() + CA_CHALLENGE_TTL_MS);
    const answer = { taxId: TAX_ID, certificate: leaf.pem, signature: await sign(leaf.keys, c.nonce) };
    expect(await verifier.verify(holder, answer, late)).toEqual({ ok: false, code: "CA_CHALLENGE_EXPIRED" });
  });

  it.each([
    ["no PEM at all", "hello"],
    ["a broken certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"],
  ])("refuses %s", async (_label, pem) => {
    const leaf = await makeLeaf(root);
    expect(await login(leaf, pem)).toEqual({ ok: false, code: "CA_INVALID" });
  });
});

describe("CA verification after the cut-off (seed: not after 2020-01-01)", () => {
  it("refuses a challenge from Beijing midnight on", async () => {
    expect(await verifier.challenge(holder, TAX_ID, caCutoff)).toEqual({ ok: false, code: "CA_NOT_OFFERED" });
    expect(await verifier.challenge(holder, TAX_ID, new Date(caCutoff.getTime() - 1))).toMatchObject({
      ok: true,
    });
  });

  it("refuses an answer after the cut-off to a challenge issued just before it", async () => {
    const leaf = await makeLeaf(root);
    const justBefore = new Date(caCutoff.getTime() - 1_000);
    const c = await verifier.challenge(holder, TAX_ID, justBefore);
    if (!c.ok) throw new Error(c.code);
    const answer = { taxId: TAX_ID, certificate: leaf.pem, signature: await sign(leaf.keys, c.nonce) };
    expect(await verifier.verify(holder, answer, caCutoff)).toEqual({ ok: false, code: "CA_NOT_OFFERED" });
  });
});

describe("configuration of the roots", () => {
  it("refuses a root that is not a CA certificate", async () => {
    expect(() => loadRoots("")).toThrow(/no CA root/);
    const leaf = await makeLeaf(root);
    expect(() => loadRoots(leaf.pem)).toThrow(/not a CA/);
  });
});

describe("ECDSA signature encodings", () => {
  it("turns DER into raw r‖s and refuses malformed DER", () => {
    const raw = new Uint8Array(64).map((_, i) => (i === 0 || i === 32 ? 0x80 : i));
    const der = new Uint8Array(Buffer.from(rawToDer(Buffer.from(raw).toString("base64")), "base64"));
    expect(ecdsaDerToRaw(der)).toEqual(raw);
    expect(ecdsaDerToRaw(new Uint8Array([0x30, 0x02, 0x05, 0x00]))).toBeNull();
  });
});
