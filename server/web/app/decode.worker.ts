/// <reference lib="webworker" />
import jsQR from "jsqr";
import type { DecodeReply, DecodeRequest } from "./qr-decoder";

// jsQR off the main thread: the camera preview and the page stay smooth while a frame is decoded.
self.onmessage = (e: MessageEvent<DecodeRequest>) => {
  const { seq, width, height, pixels, invert } = e.data;
  const found = jsQR(new Uint8ClampedArray(pixels), width, height, {
    inversionAttempts: invert ? "attemptBoth" : "dontInvert",
  });
  const reply: DecodeReply = { seq, text: found?.data ?? null };
  self.postMessage(reply);
};
