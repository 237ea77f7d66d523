import { z } from "zod";

// GET /api/client/origin → OriginCheck: may a page of the caller's Origin open the client socket?
// A browser never shows a script why a WebSocket upgrade failed (a 403 looks like a lost network),
// so the extension asks this when its socket keeps failing, and tells the person which origin the
// hub's operator must add to ALLOWED_ORIGINS.
export const CLIENT_ORIGIN_PATH = "/api/client/origin";

export const OriginCheck = z.object({
  allowed: z.boolean(),
  /** The Origin the request carried, as the hub compares it; null when there was none. */
  origin: z.string().nullable(),
});
export type OriginCheck = z.infer<typeof OriginCheck>;
