// Decodes QR codes from pixels with jsQR in a Worker (one frame at a time), so jsQR stays out of the
// page's own bundle and never blocks the camera preview.

export interface DecodeRequest {
  seq: number;
  width: number;
  height: number;
  /** RGBA bytes, transferred (the sender's ImageData is emptied). */
  pixels: ArrayBuffer;
  /** Also try light-on-dark codes: slower, so only for still photos. */
  invert: boolean;
}

export interface DecodeReply {
  seq: number;
  text: string | null;
}

export interface QrDecoder {
  /** The QR's text, or null when the image holds none jsQR can read. */
  decode(image: ImageData, options?: { invert?: boolean }): Promise<string | null>;
  close(): void;
}

export function createWorkerDecoder(): QrDecoder {
  const worker = new Worker(new URL("./decode.worker.ts", import.meta.url), { type: "module" });
  const pending = new Map<number, (text: string | null) => void>();
  let seq = 0;
  worker.onmessage = (e: MessageEvent<DecodeReply>) => {
    pending.get(e.data.seq)?.(e.data.text);
    pending.delete(e.data.seq);
  };
  return {
    decode(image, options = {}) {
      const request: DecodeRequest = {
        seq: ++seq,
        width: image.width,
        height: image.height,
        pixels: image.data.buffer as ArrayBuffer,
        invert: options.invert ?? false,
      };
      return new Promise((resolve) => {
        pending.set(request.seq, resolve);
        worker.postMessage(request, [request.pixels]);
      });
    },
    close() {
      worker.terminate();
      for (const resolve of pending.values()) resolve(null);
      pending.clear();
    },
  };
}

/** Draws a video frame or picture into `canvas`, scaled so its longer side is at most `maxSide`. */
export function grabPixels(
  source: CanvasImageSource,
  width: number,
  height: number,
  canvas: HTMLCanvasElement,
  maxSide = 960,
): ImageData | null {
  if (width === 0 || height === 0) return null;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(source, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}
