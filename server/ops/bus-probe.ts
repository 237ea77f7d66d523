import { randomBytes } from "node:crypto";
import type { Bus } from "../bus";

/**
 * A round trip through the bus: publish a nonce on a topic only this node listens to and time its
 * arrival. On Redis that is a real PUBLISH → SUBSCRIBE delivery, so it fails while Redis (or just the
 * listening connection) is away. `/readyz` asks it, and every answer feeds the latency histogram.
 */
export class BusProbe {
  private readonly waiting = new Map<string, () => void>();
  private unsubscribe: (() => void) | null = null;
  /** Told each round trip's milliseconds, or null for a failed one (the metrics set it). */
  onResult: (ms: number | null) => void = () => {};

  private constructor(
    private readonly bus: Bus,
    private readonly topic: string,
  ) {}

  static async start(bus: Bus, nodeId: string): Promise<BusProbe> {
    const topic = `ops.probe.${nodeId}.${randomBytes(4).toString("hex")}`;
    const probe = new BusProbe(bus, topic);
    probe.unsubscribe = await bus.subscribe(topic, (nonce) => probe.waiting.get(nonce)?.());
    return probe;
  }

  /** Milliseconds for one round trip, or null when it failed or took longer than `timeoutMs`. */
  async roundTrip(timeoutMs = 1000): Promise<number | null> {
    const ms = await this.once(timeoutMs);
    this.onResult(ms);
    return ms;
  }

  private async once(timeoutMs: number): Promise<number | null> {
    const nonce = randomBytes(8).toString("hex");
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<boolean>((resolve) => {
      this.waiting.set(nonce, () => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      await this.bus.publish(this.topic, nonce);
      if (!(await arrived)) return null;
      return performance.now() - started;
    } catch {
      return null; // BusUnavailable: Redis is away
    } finally {
      clearTimeout(timer);
      this.waiting.delete(nonce);
    }
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
