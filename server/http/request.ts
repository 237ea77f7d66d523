import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, ErrorHandler, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { errorBody } from "../../shared/errors";
import { BusUnavailable } from "../bus";
import { Refusal } from "../kernel/refusal";
import { clientAddress, type TrustProxy } from "./client-address";
import { HTTP_STATUS } from "./status";

// What every HTTP edge of the hub shares: the peer's address, a bounded JSON body parsed by its
// schema, and one way to answer a refusal (errorBody with the status from ./status.ts).

/** Bodies of the JSON APIs; the face capture route allows more. */
export const SMALL_BODY = 16 * 1024;

/** The TCP peer's own address (IPv4-mapped IPv6 unwrapped) — what loopback-only edges check, or "unknown" without one (app.request in tests). */
export function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address?.replace(/^::ffff:/, "") ?? "unknown";
  } catch {
    return "unknown";
  }
}

const clientAddresses = new WeakMap<Request, string>();

/**
 * Works the client's address out once per request (http/client-address.ts: the peer's own, or what
 * trusted proxies forwarded — TRUST_PROXY), for `clientIp(c)` in every route below the app.
 */
export function resolveClientAddress(trust: TrustProxy): MiddlewareHandler {
  return async (c, next) => {
    const raw = (() => {
      try {
        return getConnInfo(c).remote.address;
      } catch {
        return undefined; // no socket (app.request in tests)
      }
    })();
    if (raw !== undefined) {
      const input = {
        peer: raw,
        forwarded: c.req.header("forwarded"),
        xForwardedFor: c.req.header("x-forwarded-for"),
      };
      clientAddresses.set(c.req.raw, clientAddress(input, trust));
    }
    await next();
  };
}

/** The client's address as `resolveClientAddress` found it; the peer's own where it did not run. */
export function clientIp(c: Context): string {
  return clientAddresses.get(c.req.raw) ?? peerAddress(c);
}

/** Refuses bodies over `maxSize` bytes with FRAME_TOO_LARGE before they are read. */
export function limitBody(maxSize = SMALL_BODY): MiddlewareHandler {
  return bodyLimit({ maxSize, onError: (c) => c.json(errorBody("FRAME_TOO_LARGE"), 413) });
}

/** The request's JSON body through its schema, or BAD_MESSAGE naming the field. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
  if (parsed.success) return parsed.data;
  throw badMessage(parsed.error);
}

/** The request's query string through its schema, or BAD_MESSAGE naming the parameter. */
export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (parsed.success) return parsed.data;
  throw badMessage(parsed.error);
}

function badMessage(err: z.ZodError): Refusal {
  const path = err.issues[0]?.path.join(".") ?? "";
  return new Refusal("BAD_MESSAGE", path ? { path } : {});
}

/** The body of a refusal as the pages show it: the rule's own message when it has one. */
export function refusalResponse(c: Context, err: Refusal): Response {
  const body = errorBody(err.code, { ...err.data });
  if (err.detail) body.message = err.detail;
  return c.json(body, HTTP_STATUS[err.code]);
}

/** The one onError of the hub's HTTP app: refusals as errorBody, a lost bus as UNAVAILABLE, else INTERNAL. */
export function answerErrors(log: (line: string) => void): ErrorHandler {
  return (err, c) => {
    if (err instanceof Refusal) return refusalResponse(c, err);
    if (err instanceof z.ZodError) return refusalResponse(c, badMessage(err));
    if (err instanceof BusUnavailable) return c.json(errorBody("UNAVAILABLE"), 503);
    // Name and message only: a driver error object may carry the query's parameters.
    log(`${c.req.method} ${c.req.path} failed: ${err.name}: ${err.message}`);
    return c.json(errorBody("INTERNAL"), 500);
  };
}
