import { z } from "zod";

// The live event stream that developers and operators watch: who is waiting, scanned, confirmed,
// locked, registered... Every identifier in `data` is masked before it gets here; never a secret.
export const EventKind = z
  .string()
  .regex(/^[a-z]+(\.[a-z_]+)+$/, "kind is dotted lower case, e.g. qr.scanned");

export const EventValue = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

export const HubEvent = z.strictObject({
  /** Stream position (Redis Streams id or a local counter); set by the stream, not the emitter. */
  id: z.string().optional(),
  at: z.iso.datetime({ offset: true }),
  node: z.string(),
  kind: EventKind,
  data: z.record(z.string(), EventValue),
});
export type HubEvent = z.infer<typeof HubEvent>;
export type EventData = HubEvent["data"];
