import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { systemClock } from "./accounts/deps";
import { createAdapters } from "./adapters";
import { StdoutSink } from "./adapters/stdout-sink";
import type { Config } from "./config";
import type { EventSink } from "./events/sink";
import { createApp } from "./http/app";
import { type Db, openStore } from "./store";

export interface Hub {
  /** The address actually bound (port 0 picks a free one). */
  url: string;
  db: Db;
  close(): Promise<void>;
}

export interface HubOptions {
  /** An open, migrated store to use instead of opening the configured one (it stays open on close). */
  db?: Db;
  events?: EventSink;
}

/** Starts one hub node: HTTP routes now; the WebSocket endpoints attach to the same server. */
export async function startHub(config: Config, options: HubOptions = {}): Promise<Hub> {
  const events = options.events ?? new StdoutSink(config.nodeId);
  const db = options.db ?? (await openStore(config));
  const accounts = { db, events, clock: systemClock, nodeId: config.nodeId, ...createAdapters(events) };
  const app = createApp(config, { accounts });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}`,
    db,
    async close() {
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      if (!options.db) await db.close();
    },
  };
}
