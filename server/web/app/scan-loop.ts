import { grabPixels, type QrDecoder } from "./qr-decoder";

// Feeds camera frames to the decoder at a bounded rate: at most one frame in flight and at least
// `intervalMs` between grabs, so a slow phone decodes fewer frames instead of falling behind.

export interface ScanLoopOptions {
  intervalMs?: number;
  /** Called with the text of every QR read (the same code keeps being read while in view). */
  onText(text: string): void;
  /** Called after every decoded frame, with the count so far (tests and diagnostics). */
  onFrame?(count: number): void;
}

export function startScanLoop(
  video: HTMLVideoElement,
  decoder: QrDecoder,
  options: ScanLoopOptions,
): () => void {
  const { intervalMs = 120, onText, onFrame } = options;
  const canvas = document.createElement("canvas");
  let stopped = false;
  let busy = false;
  let last = 0;
  let frames = 0;
  let handle = 0;

  const tick = (now: number) => {
    if (stopped) return;
    handle = requestAnimationFrame(tick);
    if (busy || now - last < intervalMs || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
    const image = grabPixels(video, video.videoWidth, video.videoHeight, canvas);
    if (!image) return;
    last = now;
    busy = true;
    decoder.decode(image).then((text) => {
      busy = false;
      if (stopped) return;
      onFrame?.(++frames);
      if (text !== null) onText(text);
    });
  };
  handle = requestAnimationFrame(tick);

  return () => {
    stopped = true;
    cancelAnimationFrame(handle);
  };
}

/** Reads a QR from a chosen picture (the 「从相册选择」 fallback). Null when there is none to read. */
export async function decodePhoto(file: Blob, decoder: QrDecoder): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    const image = grabPixels(bitmap, bitmap.width, bitmap.height, document.createElement("canvas"), 1280);
    return image ? await decoder.decode(image, { invert: true }) : null;
  } finally {
    bitmap.close();
  }
}
