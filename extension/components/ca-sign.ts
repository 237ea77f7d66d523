// CA verification in the popup: the private key never leaves this page. It signs the hub's nonce
// (its UTF-8 bytes) with SHA-256: ECDSA P-256 (IEEE P1363 r‖s, WebCrypto's format) or RSASSA-PKCS1-v1_5.

function pemBody(pem: string, label: string): Uint8Array<ArrayBuffer> {
  const m = pem.match(new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`));
  if (!m?.[1]) throw new Error(`no ${label} block`);
  return Uint8Array.from(atob(m[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

const toBase64 = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf)));

/** Sign `nonce` with a PKCS#8 PEM key ("BEGIN PRIVATE KEY"); base64 of the signature. */
export async function signNonce(keyPem: string, nonce: string): Promise<string> {
  const der = pemBody(keyPem, "PRIVATE KEY");
  const data = new TextEncoder().encode(nonce);
  try {
    const key = await crypto.subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve: "P-256" }, false, [
      "sign",
    ]);
    return toBase64(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, data));
  } catch {
    const key = await crypto.subtle.importKey(
      "pkcs8",
      der,
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      ["sign"],
    );
    return toBase64(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, data));
  }
}
