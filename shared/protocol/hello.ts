import { z } from "zod";
import { isoTime, message, token, typed } from "./common";

// The first message on every client socket. Anything else first is HELLO_REQUIRED.
// `resume` lets a client that lost its socket (or whose service worker was stopped) carry on:
// with a session token it is logged in again; with a ticket id + secret it learns the ticket's state.
export const Hello = message("hello", {
  v: z.number().int().min(1).max(1000),
  /** What the client says it is. The hub cannot check any of it: the phone shows it as claimed. */
  client: z.strictObject({ label: typed(64), version: typed(32), os: typed(64).optional() }),
  resume: z
    .strictObject({
      session: token.optional(),
      ticket: z.strictObject({ id: token, secret: token }).optional(),
    })
    .optional(),
});

export const Ping = message("ping", {});

/** The hub's answer to hello: what this node offers today. */
export const Welcome = message("welcome", {
  v: z.number().int(),
  node: z.string(),
  /** PUBLIC_URL: where the portal (注册, 忘记密码, 忘记申报密码) and the phone pages (手机端下载) are. */
  publicUrl: z.url(),
  serverTime: isoTime,
  // seed: CA is accepted only before the cut-off; the client hides it after.
  caOffered: z.boolean(),
  // seed: tax-handling authorization applies from its launch day.
  authorizationActive: z.boolean(),
  qrTtlS: z.number().int(),
});

export const Pong = message("pong", { serverTime: isoTime });
