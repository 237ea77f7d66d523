import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Config } from "./config";
import { createApp } from "./http/app";

export interface Hub {
  /** The address actually bound (port 0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

/** Starts one hub node: HTTP routes now; the WebSocket endpoints attach to the same server. */
export async function startHub(config: Config): Promise<Hub> {
  const app = createApp(config);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
