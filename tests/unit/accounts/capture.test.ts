import { describe, expect, it } from "vitest";
import { decodeCapture } from "../../../server/accounts/capture";
import { MAX_CAPTURE_BYTES } from "../../../shared/api/accounts";

const jpeg = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(n)]);

describe("camera captures", () => {
  it("decode from base64 or a data: URL", () => {
    const b64 = jpeg(10).toString("base64");
    expect(decodeCapture(b64)?.length).toBe(14);
    expect(decodeCapture(`data:image/jpeg;base64,${b64}`)?.length).toBe(14);
  });

  it.each([
    ["a PNG", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]).toString("base64")],
    ["not base64", "%%%"],
    ["empty", ""],
    ["another image type's data: URL", `data:image/png;base64,${jpeg(4).toString("base64")}`],
    ["over the size limit", jpeg(MAX_CAPTURE_BYTES).toString("base64")],
  ])("refuse %s", (_, s) => {
    expect(decodeCapture(s)).toBeNull();
  });
});
