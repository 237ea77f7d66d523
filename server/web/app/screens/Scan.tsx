import { useEffect, useRef, useState } from "preact/hooks";
import { navigate } from "../../common/router";
import { CAMERA_MESSAGES, type CameraProblem, CameraUnavailable, openCamera, stopCamera } from "../camera";
import { markScanned } from "../confirm-state";
import { hubOrigins, parseScannedQr } from "../hub-qr";
import { createWorkerDecoder, type QrDecoder } from "../qr-decoder";
import { decodePhoto, startScanLoop } from "../scan-loop";
import { AppHeader } from "../shell";

// seed 1.2: 「首页右上角的扫一扫」 reads the client's QR. A ticket QR of this hub opens its confirm screen;
// anything else says so and scanning goes on.

const NOT_OURS = "无法识别的二维码";
const NO_QR_IN_PHOTO = "未识别到二维码，请换一张清晰的图片";
const PHOTO_UNREADABLE = "无法读取该图片，请换一张图片";

export interface ScanProps {
  /** The decoder to use; the default runs jsQR in a Worker. */
  createDecoder?: () => QrDecoder;
}

export function Scan({ createDecoder = createWorkerDecoder }: ScanProps) {
  const root = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const decoder = useRef<QrDecoder | null>(null);
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const visible = usePageVisible();

  const say = (text: string) => {
    setNotice(text);
    clearTimeout(noticeTimer.current);
    noticeTimer.current = setTimeout(() => setNotice(null), 3000);
  };

  // Returns true when the text was a ticket and the screen is leaving.
  const handleText = (text: string): boolean => {
    const qr = parseScannedQr(text, hubOrigins());
    if (qr.kind === "ticket") {
      markScanned(qr.ticketId);
      navigate(`/app/qr/${qr.ticketId}${qr.stamp ? `?s=${encodeURIComponent(qr.stamp)}` : ""}`);
      return true;
    }
    say(NOT_OURS);
    return false;
  };

  useEffect(() => {
    decoder.current = createDecoder();
    return () => {
      decoder.current?.close();
      decoder.current = null;
      clearTimeout(noticeTimer.current);
    };
  }, [createDecoder]);

  // The camera runs only while the screen is shown and the page is visible; leaving stops every track.
  useEffect(() => {
    if (!visible) return;
    let stream: MediaStream | null = null;
    let stopLoop = () => {};
    let left = false;
    openCamera().then(
      async (s) => {
        if (left) return stopCamera(s);
        stream = s;
        const el = video.current;
        const dec = decoder.current;
        if (!el || !dec) return;
        setProblem(null);
        el.srcObject = s;
        await el.play().catch(() => {}); // autoplay of a muted inline video is allowed; a refusal only delays frames
        root.current?.setAttribute("data-camera", "on");
        stopLoop = startScanLoop(el, dec, {
          onText: (text) => handleText(text) && stopLoop(),
          onFrame: (n) => root.current?.setAttribute("data-frames", String(n)),
        });
      },
      (err: unknown) => {
        if (!left) setProblem(err instanceof CameraUnavailable ? err.problem : "failed");
      },
    );
    return () => {
      left = true;
      stopLoop();
      stopCamera(stream);
      if (video.current) video.current.srcObject = null;
      root.current?.setAttribute("data-camera", "off");
    };
  }, [visible]);

  const onPhoto = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ""; // the same photo may be chosen again
    if (!file || !decoder.current) return;
    let text: string | null;
    try {
      text = await decodePhoto(file, decoder.current);
    } catch {
      return say(PHOTO_UNREADABLE);
    }
    if (text === null) say(NO_QR_IN_PHOTO);
    else handleText(text);
  };

  return (
    <div class="scan" ref={root} data-frames="0" data-camera="off">
      <AppHeader title="扫一扫" dark />
      <div class="scan-view">
        <video ref={video} class="scan-video" playsInline muted autoPlay />
        {problem ? (
          <div class="scan-problem" role="alert">
            <p>{CAMERA_MESSAGES[problem]}</p>
            <p class="scan-problem-hint">也可以点击下方「从相册选择」，读取二维码图片</p>
          </div>
        ) : (
          <>
            <div class="scan-frame" aria-hidden="true">
              <i class="tl" />
              <i class="tr" />
              <i class="bl" />
              <i class="br" />
              <div class="scan-line" />
            </div>
            <p class="scan-hint">将扣缴客户端上的二维码放入框内，即可自动扫描</p>
          </>
        )}
        {notice && (
          <p class="scan-notice" role="status">
            {notice}
          </p>
        )}
      </div>
      <div class="scan-actions">
        <label class="scan-album">
          <input type="file" accept="image/*" class="visually-hidden" onChange={onPhoto} />
          <span class="scan-album-icon">
            <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
              <rect
                x="3"
                y="5"
                width="18"
                height="14"
                rx="2"
                fill="none"
                stroke="currentColor"
                stroke-width="1.8"
              />
              <circle cx="9" cy="10" r="1.8" fill="currentColor" />
              <path d="M4 17l5-5 4 4 3-3 4 4" fill="none" stroke="currentColor" stroke-width="1.8" />
            </svg>
          </span>
          从相册选择
        </label>
      </div>
    </div>
  );
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== "hidden");
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== "hidden");
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}
