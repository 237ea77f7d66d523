import { MAX_CAPTURE_BYTES } from "../../shared/api/accounts";

/** A camera capture as the page sends it — base64 JPEG, maybe as a data: URL — to bytes, or null. */
export function decodeCapture(capture: string): Uint8Array | null {
  const b64 = capture.replace(/^data:image\/jpe?g;base64,/, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  const bytes = Buffer.from(b64, "base64");
  // JPEG files open with the SOI marker FF D8 FF.
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  return isJpeg && bytes.length <= MAX_CAPTURE_BYTES ? new Uint8Array(bytes) : null;
}
