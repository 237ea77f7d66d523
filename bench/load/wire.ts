import { WebSocket } from "ws";
import { EXTENSION_ORIGIN } from "../../shared/extension-id";
import { type ClientToHub, PROTOCOL_VERSION } from "../../shared/protocol";

// A bare client socket for load generators: the real protocol, none of the test client's checking
// (a generator must spend its CPU on load, not on parsing what it already trusts).

export interface HubFrame {
  type: string;
  rid?: number;
  code?: string;
  [k: string]: unknown;
}

export class Wire {
  private nextRid = 1;
  private readonly pending = new Map<number, (f: HubFrame) => void>();
  /** Frames that answer no request of ours (pushes). */
  onPush: (f: HubFrame) => void = () => {};
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const f = JSON.parse(data.toString()) as HubFrame;
      const waiter = f.rid === undefined ? undefined : this.pending.get(f.rid);
      if (waiter && f.rid !== undefined) {
        this.pending.delete(f.rid);
        waiter(f);
      } else this.onPush(f);
    });
    ws.on("error", () => {});
    this.closed = new Promise((res) =>
      ws.once("close", (code) => {
        for (const w of this.pending.values()) w({ type: "error", code: "CLOSED" });
        this.pending.clear();
        res(code);
      }),
    );
  }

  /** Opens a socket as the extension would and says hello. */
  static async open(url: string, o: { localAddress?: string; timeoutMs?: number } = {}): Promise<Wire> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/ws`, {
      origin: EXTENSION_ORIGIN,
      perMessageDeflate: false,
      handshakeTimeout: o.timeoutMs ?? 30_000,
      ...(o.localAddress ? { localAddress: o.localAddress } : {}),
    });
    const wire = new Wire(ws);
    await new Promise<void>((res, rej) => {
      ws.once("open", () => res());
      ws.once("unexpected-response", (_req, r) => rej(new Error(`upgrade refused: ${r.statusCode}`)));
      ws.once("error", rej);
    });
    const welcome = await wire.request({
      type: "hello",
      v: PROTOCOL_VERSION,
      client: { label: "扣缴客户端", version: "bench" },
    });
    if (welcome.type !== "welcome") throw new Error(`hello answered ${welcome.code ?? welcome.type}`);
    return wire;
  }

  /** Sends a message with a fresh rid and resolves with the reply carrying it. */
  request(msg: ClientToHub, timeoutMs = 30_000): Promise<HubFrame> {
    const rid = this.nextRid++;
    return new Promise((res) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        res({ type: "error", code: "BENCH_TIMEOUT" });
      }, timeoutMs);
      this.pending.set(rid, (f) => {
        clearTimeout(timer);
        res(f);
      });
      this.ws.send(JSON.stringify({ ...msg, rid }));
    });
  }

  terminate(): void {
    this.ws.terminate();
  }
}

/** Runs `fn` over `0..count-1` with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await fn(next++);
  });
  await Promise.all(lanes);
}

/** Counts things by name (error codes, outcomes). */
export function tally(): { add(k: string): void; get(): Record<string, number> } {
  const m: Record<string, number> = {};
  return {
    add: (k) => {
      m[k] = (m[k] ?? 0) + 1;
    },
    get: () => m,
  };
}
