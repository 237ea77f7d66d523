// The phone's camera for scanning: rear camera preferred, no torch, no audio. Every way it can fail
// maps to one message the person can act on.

export type CameraProblem = "insecure" | "unsupported" | "denied" | "missing" | "busy" | "failed";

export const CAMERA_MESSAGES: Record<CameraProblem, string> = {
  insecure: "请通过HTTPS访问以使用摄像头扫码",
  unsupported: "当前浏览器不支持摄像头扫码，请从相册选择二维码图片",
  denied: "无法使用摄像头，请在浏览器设置中允许访问相机",
  missing: "未检测到摄像头，请从相册选择二维码图片",
  busy: "摄像头被其他应用占用，请关闭后重试",
  failed: "无法打开摄像头，请重试或从相册选择二维码图片",
};

export class CameraUnavailable extends Error {
  constructor(readonly problem: CameraProblem) {
    super(CAMERA_MESSAGES[problem]);
    this.name = "CameraUnavailable";
  }
}

/** What a getUserMedia rejection means for the person holding the phone. */
export function cameraProblem(err: unknown): CameraProblem {
  const name = err instanceof Error || (typeof err === "object" && err !== null) ? (err as Error).name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
    case "PermissionDeniedError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
    case "DevicesNotFoundError":
      return "missing";
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "busy";
    default:
      return "failed";
  }
}

export const CAMERA_CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
};

/** Face registration: the front camera, the person looking at it. */
export const FACE_CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: { ideal: "user" }, width: { ideal: 640 }, height: { ideal: 480 } },
};

/** Opens the camera or throws CameraUnavailable. Browsers hide getUserMedia outside secure origins. */
export async function openCamera(
  media: MediaDevices | undefined = navigator.mediaDevices,
  secure: boolean = window.isSecureContext,
  constraints: MediaStreamConstraints = CAMERA_CONSTRAINTS,
): Promise<MediaStream> {
  if (!secure) throw new CameraUnavailable("insecure");
  if (!media?.getUserMedia) throw new CameraUnavailable("unsupported");
  try {
    return await media.getUserMedia(constraints);
  } catch (err) {
    throw new CameraUnavailable(cameraProblem(err));
  }
}

export function stopCamera(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
