import type { EventData, HubEvent } from "../../shared/events";
import type { Bus } from "../bus";
import { windowIndex } from "../bus/bus";
import { redisKeys } from "../bus/keys";
import { type Limit, pastLimit } from "../bus/limiter";
import { hitLua, type RedisBus } from "../bus/redis";
import type { EventSink } from "../events/sink";
import { RedisEventStream } from "../events/stream";
import type { Clock } from "../kernel/clock";
import { REDEEM_WINDOW_MS } from "./machine";
import { decodeTicket, encodeTicket, type Ticket, ticketFromStored } from "./ticket";

// Where tickets live: memory (one node) or Redis (every node). Writes are compare-and-set on the
// ticket's revision, so two phones confirming at once cannot both win: the loser gets the winner's
// state back and steps again from it. The write, its hint to the holder's node (carrying the ticket
// as written) and the step's events are one step.

/** An event of a ticket's step: it is recorded only if the step's write lands. */
export interface TicketEmit {
  kind: string;
  data: EventData;
}

/** A compare-and-set: written, or refused with the ticket as it is now (null: gone or never there). */
export type PutResult = { ok: true } | { ok: false; current: Ticket | null };

/** A rate limit (bus/limiter.ts's fixed window, the same counter) hit with a store call: in the
 *  call's own script where the store can (one Redis), else as a count of its own beside it. */
export type Gate = Limit;

/** A gated call past its limit: nothing was read or written (the hit still counts). */
export const LIMITED = Symbol("limited");

export interface TicketStore {
  get(id: string): Promise<Ticket | null>;
  /** Hits `gate`, then reads the ticket — unless that hit went past the limit. */
  gatedGet(id: string, gate: Gate, now: number): Promise<Ticket | null | typeof LIMITED>;
  /** Writes a new ticket and records its events (after hitting `gate`, if any); false if the id
   *  is taken, LIMITED past the gate's limit. */
  create(ticket: Ticket, now: number, emits: TicketEmit[], gate?: Gate): Promise<boolean | typeof LIMITED>;
  /** Writes `ticket` only if the stored one is still at `expectedRev`; then hints `notifyNode` with
   *  the ticket as written (so that node need not read it) — and `grant`, a plain grant minted with
   *  this step, for that node only — and records the step's events. */
  update(
    ticket: Ticket,
    expectedRev: number,
    now: number,
    notifyNode: string | null,
    emits: TicketEmit[],
    grant?: string,
  ): Promise<PutResult>;
}

/** What a hint says: the ticket as written, and a grant minted with the step for the holder. */
export interface Hint {
  ticket: Ticket;
  grant: string | null;
}

function hintPayload(id: string, stored: string, grant: string | undefined): string {
  const [head, tail] = hintAround(id, grant);
  return `${head}${stored}${tail}`;
}

/** What goes before and after the ticket's stored form in its hint (a script joins the three, so
 *  the stored form crosses to Redis once, not twice). */
function hintAround(id: string, grant: string | undefined): [string, string] {
  return [`{"id":${JSON.stringify(id)},"t":`, grant ? `,"grant":${JSON.stringify(grant)}}` : "}"];
}

/** A hint's payload (our own, from the store's write); null for a bare id (a node of an older version). */
export function parseHint(payload: string): Hint | null {
  if (!payload.startsWith("{")) return null;
  const o = JSON.parse(payload) as { id: string; t: unknown; grant?: string };
  return { ticket: ticketFromStored(o.id, o.t), grant: o.grant ?? null };
}

/** The topic on which a node hears "ticket X changed" for the clients it holds, and only those.
 *  One channel per node, named in the ticket (`holder.node`), rather than one per ticket: a node
 *  subscribes once for its whole life (no SUBSCRIBE/UNSUBSCRIBE per ticket, nothing per ticket to
 *  restore after a reconnect), and nothing is broadcast to nodes that hold no interest. A resume
 *  rewrites `holder`, so the next hint follows the client to its new node. */
export const changedTopic = (node: string) => `qr.changed.${node}`;

/** Ended tickets stay readable a while, so a late phone or client gets "used"/"expired", not "not found". */
export const KEEP_AFTER_END_MS = 10 * 60_000;

export function keepForMs(ticket: Ticket, now: number): number {
  const end = Math.max(ticket.expiresAt, ticket.redeemBy ?? 0, (ticket.confirmedAt ?? 0) + REDEEM_WINDOW_MS);
  return Math.max(1000, end + KEEP_AFTER_END_MS - now);
}

export class MemoryTicketStore implements TicketStore {
  private readonly tickets = new Map<string, { json: string; rev: number; drop: () => void }>();

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly events: EventSink,
  ) {}

  async get(id: string): Promise<Ticket | null> {
    const t = this.tickets.get(id);
    return t ? decodeTicket(id, t.json) : null;
  }

  async gatedGet(id: string, gate: Gate, now: number): Promise<Ticket | null | typeof LIMITED> {
    return (await pastLimit(this.bus, gate, now)) ? LIMITED : this.get(id);
  }

  async create(
    ticket: Ticket,
    now: number,
    emits: TicketEmit[],
    gate?: Gate,
  ): Promise<boolean | typeof LIMITED> {
    if (gate && (await pastLimit(this.bus, gate, now))) return LIMITED;
    if (this.tickets.has(ticket.id)) return false;
    this.put(ticket, now);
    for (const e of emits) this.events.emit(e.kind, e.data);
    return true;
  }

  async update(
    ticket: Ticket,
    expectedRev: number,
    now: number,
    notifyNode: string | null,
    emits: TicketEmit[],
    grant?: string,
  ): Promise<PutResult> {
    const current = this.tickets.get(ticket.id);
    if (!current || current.rev !== expectedRev)
      return { ok: false, current: current ? decodeTicket(ticket.id, current.json) : null };
    current.drop();
    const json = this.put(ticket, now);
    for (const e of emits) this.events.emit(e.kind, e.data);
    if (notifyNode) await this.bus.publish(changedTopic(notifyNode), hintPayload(ticket.id, json, grant));
    return { ok: true };
  }

  private put(ticket: Ticket, now: number): string {
    const drop = this.clock.setTimer(keepForMs(ticket, now), () => this.tickets.delete(ticket.id));
    const json = encodeTicket(ticket);
    this.tickets.set(ticket.id, { json, rev: ticket.rev, drop });
    return json;
  }
}

// KEYS: the ticket's hash, the event stream, the gate's counter (the last two declared even when
// unused); ARGV: expected rev ('' = must not exist), new rev, stored form, keep ms, channel to hint ('' =
// none), the hint's head and tail (around the stored form), the stream's cap, the gate's window ms ('' =
// no gate) and max, then the step's events. The gate, the check, the write, the hint (the ticket as
// written) and the events happen as one; a refused write answers with the ticket as it is, so the caller
// steps again from it without reading; {2}: past the gate, nothing written.
const PUT_SCRIPT = `
if ARGV[9] ~= '' then
  ${hitLua("KEYS[3]", "ARGV[9]")}
  if n > tonumber(ARGV[10]) then return {2} end
end
local cur = redis.call('HMGET', KEYS[1], 'rev', 'data')
if ARGV[1] == '' then
  if cur[1] then return {0, cur[2] or ''} end
elseif cur[1] ~= ARGV[1] then
  return {0, cur[2] or ''}
end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'data', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[5], ARGV[6] .. ARGV[3] .. ARGV[7]) end
for i = 11, #ARGV do redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], '*', 'e', ARGV[i]) end
return {1}`;

/** KEYS: ticket, the gate's counter; ARGV: gate window ms, gate max. {0} past the limit, else {1, data}. */
const GATED_GET_SCRIPT = `
${hitLua("KEYS[2]", "ARGV[1]")}
if n > tonumber(ARGV[2]) then return {0} end
return {1, redis.call('HGET', KEYS[1], 'data')}`;

interface PutCommand {
  shimingTicketPut(
    ticketKey: string,
    streamKey: string,
    gateKey: string,
    ...argv: (string | number)[]
  ): Promise<[number, string?]>;
  shimingTicketGatedGet(
    ticketKey: string,
    gateKey: string,
    windowMs: number,
    max: number,
  ): Promise<[number, string?]>;
}

/** Where a ticket's events go when they ride in its script: the stream's key, its cap, and each event
 *  as the stream keeps it (checked against its kind; null when it is dropped). */
export interface StreamInScript {
  key: string;
  maxLen: number;
  encode(kind: string, data: EventData): { json: string; event: HubEvent } | null;
  landed(events: HubEvent[]): void;
}

/**
 * Tickets as Redis hashes `{rev, data}` under `${REDIS_PREFIX}qr:t:<id>` (every key named in `key()`
 * below), with a TTL. On one Redis the step's events ride in the write's script (`stream`); where the
 * stream lives apart from the tickets (another slot of a cluster), pass `stream` null and they go to
 * `events` once the write landed.
 */
export class RedisTicketStore implements TicketStore {
  constructor(
    private readonly bus: RedisBus,
    private readonly events: EventSink,
    private readonly stream: StreamInScript | null = events instanceof RedisEventStream ? events : null,
  ) {
    bus.redis.defineCommand("shimingTicketPut", { lua: PUT_SCRIPT, numberOfKeys: 3 });
    bus.redis.defineCommand("shimingTicketGatedGet", { lua: GATED_GET_SCRIPT, numberOfKeys: 2 });
  }

  async get(id: string): Promise<Ticket | null> {
    const json = await this.bus.call((r) => r.hget(this.key(id), "data"));
    return json ? decodeTicket(id, json) : null;
  }

  async gatedGet(id: string, gate: Gate, now: number): Promise<Ticket | null | typeof LIMITED> {
    if (this.bus.cluster) {
      // The counter's slot is not the ticket's: both leave together (auto-pipelining), one trip.
      const reading = this.get(id);
      reading.catch(() => {}); // awaited below unless the limit refuses first
      return (await pastLimit(this.bus, gate, now)) ? LIMITED : reading;
    }
    const reply = await this.bus.call((r) =>
      (r as unknown as PutCommand).shimingTicketGatedGet(
        this.key(id),
        this.gateKey(gate, now),
        gate.windowMs,
        gate.max,
      ),
    );
    if (Number(reply[0]) !== 1) return LIMITED;
    return reply[1] ? decodeTicket(id, reply[1]) : null;
  }

  async create(
    ticket: Ticket,
    now: number,
    emits: TicketEmit[],
    gate?: Gate,
  ): Promise<boolean | typeof LIMITED> {
    // On a cluster the counter lives in another slot than the ticket: counted first, on its own.
    if (gate && this.bus.cluster && (await pastLimit(this.bus, gate, now))) return LIMITED;
    const r = await this.put(ticket, "", now, null, emits, undefined, this.bus.cluster ? undefined : gate);
    return r === LIMITED ? LIMITED : r.ok;
  }

  async update(
    ticket: Ticket,
    expectedRev: number,
    now: number,
    notifyNode: string | null,
    emits: TicketEmit[],
    grant?: string,
  ): Promise<PutResult> {
    // No gate given: never LIMITED.
    return (await this.put(ticket, String(expectedRev), now, notifyNode, emits, grant)) as PutResult;
  }

  private async put(
    ticket: Ticket,
    expected: string,
    now: number,
    notifyNode: string | null,
    emits: TicketEmit[],
    grant?: string,
    gate?: Gate,
  ): Promise<PutResult | typeof LIMITED> {
    // On a cluster the node's channel and the event stream live on other shards than the ticket, which
    // a script cannot reach: the hint follows the write as its own SPUBLISH (lost only with that shard,
    // which the holder notices as a recovery and looks again), and the events go to the sink after it.
    const inScript = !this.bus.cluster;
    const stream = inScript ? this.stream : null;
    const channel = notifyNode && inScript ? this.bus.channel(changedTopic(notifyNode)) : "";
    const events = stream ? emits.map((e) => stream.encode(e.kind, e.data)).filter((e) => e !== null) : [];
    const stored = encodeTicket(ticket);
    const [head, tail] = channel ? hintAround(ticket.id, grant) : ["", ""];
    const args = [
      expected,
      ticket.rev,
      stored,
      keepForMs(ticket, now),
      channel,
      head,
      tail,
      stream?.maxLen ?? 0,
    ];
    const streamKey = stream?.key ?? this.key(ticket.id); // declared, unused without a stream
    const gateKey = gate ? this.gateKey(gate, now) : this.key(ticket.id); // likewise
    const reply = await this.bus.call((r) =>
      (r as unknown as PutCommand).shimingTicketPut(
        this.key(ticket.id),
        streamKey,
        gateKey,
        ...args,
        gate ? gate.windowMs : "",
        gate ? gate.max : 0,
        ...events.map((e) => e.json),
      ),
    );
    if (Number(reply[0]) === 2) return LIMITED;
    if (Number(reply[0]) !== 1)
      return { ok: false, current: reply[1] ? decodeTicket(ticket.id, reply[1]) : null };
    if (stream) stream.landed(events.map((e) => e.event));
    else for (const e of emits) this.events.emit(e.kind, e.data);
    if (notifyNode && !channel)
      await this.bus.publish(changedTopic(notifyNode), hintPayload(ticket.id, stored, grant)).catch(() => {});
    return { ok: true };
  }

  /** Every Redis key of a ticket is named here. */
  private key(id: string): string {
    return this.bus.key(redisKeys.ticket(id));
  }

  /** The gate's counter: the very key bus/limiter.ts counts (RedisBus.hit), so both see one count. */
  private gateKey(gate: Gate, now: number): string {
    return this.bus.key(redisKeys.hits(gate.key, windowIndex(now, gate.windowMs)));
  }
}
