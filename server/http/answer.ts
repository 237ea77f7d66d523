import { Hono } from "hono";
import { securityHeaders } from "./security-headers";

// A JSON answer built whole. The app adds its headers after each route (server/http/app.ts): the
// security headers, which node answered, `connection: close` while draining. Set on a finished
// Response they make the Node adapter build a Headers object, check every name and value, and turn
// its light Response into a full one — ~15% of a phone's confirm on its node (bench --hub-profile).
// A hot route answers with one plain header object holding all of them instead, which the adapter
// writes as it is; the app leaves such an answer alone.

export interface AnswerHeaders {
  /** Every header the app adds to an answer, but `connection`. */
  readonly base: Readonly<Record<string, string>>;
  readonly draining: () => boolean;
}

const whole = new WeakSet<Response>();

/** The headers securityHeaders sets for an http: and an https: public URL, read off the middleware
 *  itself once at load (so they cannot drift from it). */
async function readSecurityHeaders(publicUrl: string): Promise<Record<string, string>> {
  const probe = new Hono();
  probe.use("*", securityHeaders(publicUrl));
  probe.get("/", (c) => c.body(null, 204));
  return Object.fromEntries((await probe.request("/")).headers);
}
const SECURITY = {
  http: await readSecurityHeaders("http://hub"),
  https: await readSecurityHeaders("https://hub"),
};

export function answerHeaders(
  o: { publicUrl: string; nodeId: string },
  draining: () => boolean = () => false,
): AnswerHeaders {
  const security = o.publicUrl.startsWith("https:") ? SECURITY.https : SECURITY.http;
  return { base: { ...security, "x-hub-node": o.nodeId }, draining };
}

/** `body` as JSON with every header the app would add. */
export function wholeJson(h: AnswerHeaders, body: unknown, status = 200): Response {
  const headers: Record<string, string> = { ...h.base, "content-type": "application/json" };
  if (h.draining()) headers.connection = "close";
  const res = new Response(JSON.stringify(body), { status, headers });
  whole.add(res);
  return res;
}

/** Built by wholeJson: nothing more to add. */
export function isWhole(res: Response): boolean {
  return whole.has(res);
}
