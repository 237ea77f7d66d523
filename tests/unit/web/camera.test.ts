import { describe, expect, it, vi } from "vitest";
import {
  CAMERA_MESSAGES,
  CameraUnavailable,
  cameraProblem,
  openCamera,
  stopCamera,
} from "../../../server/web/app/camera";

const domError = (name: string) => Object.assign(new Error(name), { name });

describe("why the camera could not be opened", () => {
  it.each([
    ["NotAllowedError", "denied"],
    ["SecurityError", "denied"],
    ["NotFoundError", "missing"],
    ["OverconstrainedError", "missing"],
    ["NotReadableError", "busy"],
    ["AbortError", "busy"],
    ["TypeError", "failed"],
  ])("%s means %s", (name, problem) => {
    expect(cameraProblem(domError(name))).toBe(problem);
  });

  it("tells the person what to do, in the words of each case", () => {
    expect(CAMERA_MESSAGES.denied).toBe("无法使用摄像头，请在浏览器设置中允许访问相机");
    expect(CAMERA_MESSAGES.insecure).toBe("请通过HTTPS访问以使用摄像头扫码");
  });
});

describe("opening the camera", () => {
  const stream = { getTracks: () => [] } as unknown as MediaStream;

  it("asks for the rear camera, video only", async () => {
    const getUserMedia = vi.fn().mockResolvedValue(stream);
    await expect(openCamera({ getUserMedia } as unknown as MediaDevices, true)).resolves.toBe(stream);
    expect(getUserMedia).toHaveBeenCalledWith(
      expect.objectContaining({
        audio: false,
        video: expect.objectContaining({ facingMode: { ideal: "environment" } }),
      }),
    );
  });

  it("refuses on an origin that is not secure, before asking the browser", async () => {
    const getUserMedia = vi.fn();
    await expect(openCamera({ getUserMedia } as unknown as MediaDevices, false)).rejects.toMatchObject({
      problem: "insecure",
    });
    expect(getUserMedia).not.toHaveBeenCalled();
  });

  it("says the browser cannot do it when getUserMedia is missing", async () => {
    await expect(openCamera({} as MediaDevices, true)).rejects.toMatchObject({ problem: "unsupported" });
  });

  it("turns a refusal into a message", async () => {
    const getUserMedia = vi.fn().mockRejectedValue(domError("NotAllowedError"));
    const err = await openCamera({ getUserMedia } as unknown as MediaDevices, true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CameraUnavailable);
    expect((err as CameraUnavailable).message).toBe("无法使用摄像头，请在浏览器设置中允许访问相机");
  });

  it("stops every track of a stream", () => {
    const tracks = [{ stop: vi.fn() }, { stop: vi.fn() }];
    stopCamera({ getTracks: () => tracks } as unknown as MediaStream);
    for (const t of tracks) expect(t.stop).toHaveBeenCalledOnce();
    expect(() => stopCamera(null)).not.toThrow();
  });
});
