import { Hono } from "hono";
import type { AccountsDeps } from "../accounts/deps";
import { type AccountsRoutesOptions, accountsRoutes } from "../accounts/routes";
import type { Config } from "../config";
import { mountPages } from "./pages";

export interface AppDeps {
  accounts?: AccountsDeps;
  accountsOptions?: AccountsRoutesOptions;
}

// The hub's HTTP routes. Each capability mounts its own sub-app here.
export function createApp(config: Config, deps: AppDeps = {}): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ ok: true, node: config.nodeId }));
  mountPages(app);
  if (deps.accounts) app.route("/api", accountsRoutes(deps.accounts, deps.accountsOptions));
  return app;
}
