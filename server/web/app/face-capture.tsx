import { useEffect, useRef, useState } from "preact/hooks";
import { type CameraProblem, CameraUnavailable, FACE_CONSTRAINTS, openCamera, stopCamera } from "./camera";

// seed 2.2.2 人脸识别认证注册: "垂直握紧手机进行拍摄，系统调用公安接口进行比对验证". The front camera, one
// still taken when the person presses 拍摄, sent as a JPEG data URL; the camera stops when the screen goes.

export const FACE_CAMERA_MESSAGES: Record<CameraProblem, string> = {
  insecure: "请通过HTTPS访问以使用摄像头进行人脸识别",
  unsupported: "当前浏览器不支持摄像头，请更换浏览器或使用大厅注册码注册",
  denied: "无法使用摄像头，请在浏览器设置中允许访问相机",
  missing: "未检测到摄像头，请使用大厅注册码注册",
  busy: "摄像头被其他应用占用，请关闭后重试",
  failed: "无法打开摄像头，请重试或使用大厅注册码注册",
};

/** The still's size: the frame scaled so its longer side is at most `max` (a few tens of KB as JPEG). */
export function captureSize(width: number, height: number, max = 640): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height, 1));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

export interface FaceCaptureProps {
  /** Sends the still; resolves true when it was accepted (the screen moves on), false to take another. */
  onCapture(jpegDataUrl: string): Promise<boolean>;
  onCancel(): void;
}

export function FaceCapture({ onCapture, onCancel }: FaceCaptureProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let left = false;
    openCamera(undefined, undefined, FACE_CONSTRAINTS).then(
      async (s) => {
        if (left) return stopCamera(s);
        stream = s;
        const el = video.current;
        if (!el) return;
        el.srcObject = s;
        await el.play().catch(() => {});
      },
      (err: unknown) => !left && setProblem(err instanceof CameraUnavailable ? err.problem : "failed"),
    );
    return () => {
      left = true;
      stopCamera(stream);
    };
  }, []);

  const take = async () => {
    const el = video.current;
    if (!el || el.videoWidth === 0) return;
    const size = captureSize(el.videoWidth, el.videoHeight);
    const canvas = document.createElement("canvas");
    canvas.width = size.width;
    canvas.height = size.height;
    canvas.getContext("2d")?.drawImage(el, 0, 0, size.width, size.height);
    setBusy(true);
    try {
      await onCapture(canvas.toDataURL("image/jpeg", 0.85));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="face" data-camera={ready ? "on" : "off"}>
      <div class="face-view">
        <video
          ref={video}
          class="face-video"
          playsInline
          muted
          autoPlay
          onLoadedData={() => setReady(true)}
        />
        <div class="face-ring" aria-hidden="true" />
        {problem && (
          <p class="face-problem" role="alert">
            {FACE_CAMERA_MESSAGES[problem]}
          </p>
        )}
      </div>
      <p class="muted face-hint">请垂直握紧手机，正对屏幕，保持光线充足，将面部置于圆框内</p>
      <button type="button" class="button primary block" disabled={!ready || busy} onClick={take}>
        {busy ? "正在比对…" : "拍摄"}
      </button>
      <button type="button" class="button block" onClick={onCancel}>
        返回
      </button>
    </div>
  );
}
