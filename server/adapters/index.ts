import { z } from "zod";
import { NodeEnv } from "../config";
import type { EventSink } from "../events/sink";
import { DevPortraitVerifier, type PortraitVerifier } from "./portrait";
import { DevSmsSender, type SmsSender } from "./sms";

export type { PortraitRequest, PortraitResult, PortraitVerifier } from "./portrait";
export type { SmsMessage, SmsNotice, SmsPurpose, SmsSender } from "./sms";

// The outside services of the accounts flows, picked once at start. Only development adapters exist
// so far; in production (NODE_ENV=production) they are refused unless DEV_ADAPTERS=1 asks for them,
// and the flows that need them answer UNAVAILABLE.
const AdapterEnv = z.object({
  NODE_ENV: NodeEnv,
  DEV_ADAPTERS: z.enum(["0", "1"]).optional(),
  /** Comma-separated 居民身份证 numbers the dev portrait verifier accepts. */
  DEV_FACE_ID_NUMBERS: z.string().default(""),
});

export interface Adapters {
  sms: SmsSender | undefined;
  portrait: PortraitVerifier | undefined;
}

export function createAdapters(
  events: EventSink,
  env: Record<string, string | undefined> = process.env,
  log: (line: string) => void = (line) => console.warn(line),
): Adapters {
  const e = AdapterEnv.parse(env);
  const devAllowed = e.NODE_ENV !== "production" || e.DEV_ADAPTERS === "1";
  if (!devAllowed) {
    log("[accounts] production: no SMS or portrait provider configured; registration answers UNAVAILABLE");
    return { sms: undefined, portrait: undefined };
  }
  const faceIds = e.DEV_FACE_ID_NUMBERS.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    sms: new DevSmsSender(events, log),
    portrait: new DevPortraitVerifier(faceIds, events, log),
  };
}
