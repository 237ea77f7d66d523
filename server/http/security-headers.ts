import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

// Sent on every page and API answer of the hub (server/http/app.ts). Scripts and styles only from
// the hub itself — no inline script anywhere, so a string that slips into a page cannot run; no other
// site may frame a page (the confirm page must not be clickjacked); no Referer leaves with a QR link.
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  // Captcha images are data: URLs (server/captcha/service.ts).
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function securityHeaders(publicUrl: string): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    xContentTypeOptions: "nosniff",
    // HSTS means something only on an https address; on http://127.0.0.1 it would only confuse.
    strictTransportSecurity: publicUrl.startsWith("https:") ? "max-age=15552000" : false,
    // The phone's scan page uses the camera; nothing uses the microphone or location.
    permissionsPolicy: { camera: ["self"], microphone: [], geolocation: [] },
  });
}
