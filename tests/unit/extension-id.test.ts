import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EXTENSION_ID, EXTENSION_PUBLIC_KEY } from "../../shared/extension-id";

describe("extension identity", () => {
  it("derives the documented Chrome ID from the manifest key", () => {
    const hex = createHash("sha256").update(Buffer.from(EXTENSION_PUBLIC_KEY, "base64")).digest("hex");
    const id = [...hex.slice(0, 32)].map((d) => String.fromCharCode(97 + Number.parseInt(d, 16))).join("");
    expect(id).toBe(EXTENSION_ID);
  });
});
