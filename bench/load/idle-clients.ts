import { serve } from "../support/workers";
import { pool, tally, Wire } from "./wire";

// Load generator for "idle waiting sessions": opens its share of client sockets, each saying hello
// and taking a QR ticket, then holds them (answering the hub's pings, as ws does) until told to stop.

const held: Wire[] = [];

serve({
  async open(cmd) {
    const { url, count, localAddress, concurrency } = cmd as {
      url: string;
      count: number;
      localAddress?: string;
      concurrency: number;
    };
    const failures = tally();
    const already = held.length;
    const t0 = performance.now();
    await pool(count, concurrency, async () => {
      try {
        const wire = await Wire.open(url, { localAddress });
        const ticket = await wire.request({ type: "qr.issue" });
        if (ticket.type !== "qr.ticket") {
          failures.add(`qr.issue: ${ticket.code ?? ticket.type}`);
          wire.terminate();
          return;
        }
        held.push(wire);
      } catch (err) {
        failures.add(err instanceof Error ? err.message.slice(0, 80) : "error");
      }
    });
    return { held: held.length - already, failures: failures.get(), ms: performance.now() - t0 };
  },

  /** How many of ours are still open (a hub that dropped sockets shows here). */
  async count() {
    return { open: held.filter((w) => w.ws.readyState === w.ws.OPEN).length };
  },

  async close() {
    for (const w of held.splice(0)) w.terminate();
    return {};
  },
});
