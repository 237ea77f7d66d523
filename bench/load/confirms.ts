import { serve } from "../support/workers";
import { LoadPhone } from "./phone";
import { type HubFrame, pool, tally, Wire } from "./wire";

// Load generator for "confirmations per second": client sockets waiting at a QR on one node, and
// phones confirming through another (or the same). Per confirm it times, on this process's clock,
// the phone's confirm request being sent → the client's `qr.state confirmed` push → the client
// holding its `session` (after `qr.redeem`). Then the client takes a new ticket and waits again.
// The relay alone (`prepare`, then `relay`): tickets issued and scanned beforehand, then only the
// confirm → push is run and timed; the next `prepare` redeems them and issues fresh ones.

interface Client {
  wire: Wire;
  ticket: { id: string; secret: string } | null;
  /** Set while a confirm is under way: called with the pushed grant (or null if it went wrong). */
  onConfirmed: ((grant: string | null) => void) | null;
}

const clients: Client[] = [];
const waiting: Client[] = [];
let phones: LoadPhone[] = [];
/** Scanned tickets waiting for a relay batch, and confirmed ones waiting to be redeemed. */
let scanned: { c: Client; ticket: { id: string; secret: string }; phone: LoadPhone }[] = [];
let confirmed: { c: Client; ticket: { id: string; secret: string }; grant: string }[] = [];

const PUSH_TIMEOUT_MS = 10_000;
/** A run stops starting new confirms after this long, whatever is left. */
const RUN_LIMIT_MS = 300_000;

async function takeTicket(c: Client): Promise<string | null> {
  const t = await c.wire.request({ type: "qr.issue" });
  if (t.type !== "qr.ticket") return `qr.issue: ${t.code ?? t.type}`;
  c.ticket = { id: String(t.ticketId), secret: String(t.secret) };
  waiting.push(c);
  return null;
}

function onPush(c: Client, f: HubFrame): void {
  if (f.type !== "qr.state" || f.ticketId !== c.ticket?.id || !c.onConfirmed) return;
  if (f.state === "confirmed") c.onConfirmed(typeof f.grant === "string" ? f.grant : null);
  else if (f.state !== "scanned") c.onConfirmed(null);
}

serve({
  async setup(cmd) {
    const o = cmd as {
      clientUrl: string;
      phoneUrl: string;
      clients: number;
      /** One phone per person: logins of one person would wait on each other. */
      accounts: string[];
      password: string;
      localAddress: string;
    };
    const failures = tally();
    await pool(o.clients, 64, async () => {
      try {
        const c: Client = {
          wire: await Wire.open(o.clientUrl, { localAddress: o.localAddress }),
          ticket: null,
          onConfirmed: null,
        };
        c.wire.onPush = (f) => onPush(c, f);
        clients.push(c);
        const problem = await takeTicket(c);
        if (problem) failures.add(problem);
      } catch (err) {
        failures.add(err instanceof Error ? err.message.slice(0, 80) : "error");
      }
    });
    const agent = LoadPhone.agent(o.accounts.length);
    phones = await Promise.all(o.accounts.map((a) => LoadPhone.login(o.phoneUrl, agent, a, o.password)));
    return { clients: clients.length, waiting: waiting.length, failures: failures.get() };
  },

  async run(cmd) {
    const { confirms, concurrency } = cmd as { confirms: number; concurrency: number };
    const notifyMs: number[] = [];
    const sessionMs: number[] = [];
    const answeredMs: number[] = [];
    const failures = tally();
    const until = performance.now() + RUN_LIMIT_MS;
    let started = 0;
    const lane = async (phone: LoadPhone) => {
      while (started < confirms && performance.now() < until) {
        const c = waiting.shift();
        if (!c?.ticket) {
          failures.add("no waiting client (raise --clients)");
          return;
        }
        started += 1;
        const problem = await confirmOne(c, c.ticket, phone, { notifyMs, sessionMs, answeredMs });
        if (problem) failures.add(problem);
        const again = await takeTicket(c);
        if (again) failures.add(again);
      }
    };
    await Promise.all(
      Array.from({ length: concurrency }, (_, i) => lane(phones[i % phones.length] as LoadPhone)),
    );
    return { notifyMs, sessionMs, answeredMs, failures: failures.get() };
  },

  async prepare(cmd) {
    const { count } = cmd as { count: number };
    const failures = tally();
    const redeem = confirmed.splice(0);
    await pool(redeem.length, 64, async (i) => {
      const r = redeem[i];
      if (!r) return;
      const s = await r.c.wire.request({
        type: "qr.redeem",
        ticketId: r.ticket.id,
        secret: r.ticket.secret,
        grant: r.grant,
      });
      if (s.type !== "session") failures.add(`qr.redeem: ${s.code ?? s.type}`);
      const again = await takeTicket(r.c);
      if (again) failures.add(again);
    });
    const take = waiting.splice(0, count);
    await pool(take.length, 64, async (i) => {
      const c = take[i];
      const phone = phones[i % phones.length];
      if (!c?.ticket || !phone) return;
      const r = await phone.scan(c.ticket.id);
      if (r.status === 200) scanned.push({ c, ticket: c.ticket, phone });
      else failures.add(`scan: ${r.status} ${r.body.code ?? ""}`);
    });
    return { ready: scanned.length, failures: failures.get() };
  },

  /** Confirms every scanned ticket, `concurrency` at a time: confirm sent → client's push. */
  async relay(cmd) {
    const { concurrency } = cmd as { concurrency: number };
    const notifyMs: number[] = [];
    const answeredMs: number[] = [];
    const failures = tally();
    const todo = scanned.splice(0);
    await pool(todo.length, concurrency, async (i) => {
      const r = todo[i];
      if (!r) return;
      let timer: NodeJS.Timeout | undefined;
      const pushed = new Promise<string | null>((resolve) => {
        r.c.onConfirmed = resolve;
        timer = setTimeout(() => resolve(null), PUSH_TIMEOUT_MS);
      });
      const t0 = performance.now();
      let answeredAt = 0;
      const answer = r.phone.confirm(r.ticket.id).then((a) => {
        answeredAt = performance.now();
        return a;
      });
      const grant = await pushed;
      const t1 = performance.now();
      clearTimeout(timer);
      r.c.onConfirmed = null;
      const a = await answer;
      if (!grant || a.status !== 200) {
        failures.add(grant ? `confirm: ${a.status} ${a.body.code ?? ""}` : "no confirmed push");
        return;
      }
      notifyMs.push(t1 - t0);
      answeredMs.push(answeredAt - t0);
      confirmed.push({ c: r.c, ticket: r.ticket, grant });
    });
    return { notifyMs, sessionMs: [], answeredMs, failures: failures.get() };
  },

  async close() {
    for (const c of clients.splice(0)) c.wire.terminate();
    waiting.length = 0;
    scanned = [];
    confirmed = [];
    return {};
  },
});

/** One login by QR, from the phone's scan to the client's session; null when it went as it should. */
async function confirmOne(
  c: Client,
  ticket: { id: string; secret: string },
  phone: LoadPhone,
  times: { notifyMs: number[]; sessionMs: number[]; answeredMs: number[] },
): Promise<string | null> {
  const scanned = await phone.scan(ticket.id);
  if (scanned.status !== 200) return `scan: ${scanned.status} ${scanned.body.code ?? ""}`;
  let timer: NodeJS.Timeout | undefined;
  const pushed = new Promise<string | null>((resolve) => {
    c.onConfirmed = resolve;
    timer = setTimeout(() => resolve(null), PUSH_TIMEOUT_MS);
  });
  const t0 = performance.now();
  let answeredAt = 0;
  const confirmed = phone.confirm(ticket.id).then((r) => {
    answeredAt = performance.now();
    return r;
  });
  const grant = await pushed;
  const t1 = performance.now();
  clearTimeout(timer);
  c.onConfirmed = null;
  if (!grant) {
    const r = await confirmed;
    return `no confirmed push (confirm answered ${r.status} ${r.body.code ?? ""})`;
  }
  const session = await c.wire.request({
    type: "qr.redeem",
    ticketId: ticket.id,
    secret: ticket.secret,
    grant,
  });
  const t2 = performance.now();
  const r = await confirmed;
  if (r.status !== 200) return `confirm: ${r.status} ${r.body.code ?? ""}`;
  if (session.type !== "session") return `qr.redeem: ${session.code ?? session.type}`;
  times.notifyMs.push(t1 - t0);
  times.sessionMs.push(t2 - t0);
  times.answeredMs.push(answeredAt - t0);
  return null;
}
