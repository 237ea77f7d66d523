import type { Bus } from "../bus";
import { redisKeys } from "../bus/keys";
import type { RedisBus } from "../bus/redis";
import type { Clock } from "../kernel/clock";
import { REDEEM_WINDOW_MS } from "./machine";
import { decodeTicket, encodeTicket, type Ticket } from "./ticket";

// Where tickets live: memory (one node) or Redis (every node). Writes are compare-and-set on the
// ticket's revision, so two phones confirming at once cannot both win: the loser re-reads and steps
// again from the winner's state. The write and its "look now" hint to the holder's node are one step.

export interface TicketStore {
  get(id: string): Promise<Ticket | null>;
  /** Writes a new ticket; false if the id is taken. */
  create(ticket: Ticket, now: number): Promise<boolean>;
  /** Writes `ticket` only if the stored one is still at `expectedRev`; then hints `notifyNode`. */
  update(ticket: Ticket, expectedRev: number, now: number, notifyNode: string | null): Promise<boolean>;
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
  ) {}

  async get(id: string): Promise<Ticket | null> {
    const t = this.tickets.get(id);
    return t ? decodeTicket(id, t.json) : null;
  }

  async create(ticket: Ticket, now: number): Promise<boolean> {
    if (this.tickets.has(ticket.id)) return false;
    this.put(ticket, now);
    return true;
  }

  async update(
    ticket: Ticket,
    expectedRev: number,
    now: number,
    notifyNode: string | null,
  ): Promise<boolean> {
    const current = this.tickets.get(ticket.id);
    if (!current || current.rev !== expectedRev) return false;
    current.drop();
    this.put(ticket, now);
    if (notifyNode) await this.bus.publish(changedTopic(notifyNode), ticket.id);
    return true;
  }

  private put(ticket: Ticket, now: number): void {
    const drop = this.clock.setTimer(keepForMs(ticket, now), () => this.tickets.delete(ticket.id));
    this.tickets.set(ticket.id, { json: encodeTicket(ticket), rev: ticket.rev, drop });
  }
}

// KEYS[1] the ticket's hash; ARGV: expected rev ('' = must not exist), new rev, json, keep ms,
// channel to hint ('' = none), the hint. The check, the write and the hint happen as one.
const PUT_SCRIPT = `
local rev = redis.call('HGET', KEYS[1], 'rev')
if ARGV[1] == '' then
  if rev then return 0 end
elseif rev ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'data', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
return 1`;

interface PutCommand {
  shimingTicketPut(key: string, ...argv: (string | number)[]): Promise<number>;
}

/** Tickets as Redis hashes `{rev, data}` under `${REDIS_PREFIX}qr:t:<id>`, with a TTL. */
export class RedisTicketStore implements TicketStore {
  constructor(private readonly bus: RedisBus) {
    bus.redis.defineCommand("shimingTicketPut", { lua: PUT_SCRIPT, numberOfKeys: 1 });
  }

  async get(id: string): Promise<Ticket | null> {
    const json = await this.bus.call((r) => r.hget(this.key(id), "data"));
    return json ? decodeTicket(id, json) : null;
  }

  create(ticket: Ticket, now: number): Promise<boolean> {
    return this.put(ticket, "", now, null);
  }

  update(ticket: Ticket, expectedRev: number, now: number, notifyNode: string | null): Promise<boolean> {
    return this.put(ticket, String(expectedRev), now, notifyNode);
  }

  private async put(
    ticket: Ticket,
    expected: string,
    now: number,
    notifyNode: string | null,
  ): Promise<boolean> {
    // On a cluster the node's channel lives on another shard than the ticket, which a script cannot
    // reach: the hint follows the write as its own SPUBLISH (lost only with that shard, which the
    // holder notices as a recovery and looks again).
    const inScript = notifyNode !== null && !this.bus.cluster;
    const channel = inScript ? this.bus.channel(changedTopic(notifyNode)) : "";
    const args = [expected, ticket.rev, encodeTicket(ticket), keepForMs(ticket, now), channel, ticket.id];
    const ok =
      Number(
        await this.bus.call((r) =>
          (r as unknown as PutCommand).shimingTicketPut(this.key(ticket.id), ...args),
        ),
      ) === 1;
    if (ok && notifyNode !== null && !inScript)
      await this.bus.publish(changedTopic(notifyNode), ticket.id).catch(() => {});
    return ok;
  }

  private key(id: string): string {
    return this.bus.key(redisKeys.ticket(id));
  }
}
