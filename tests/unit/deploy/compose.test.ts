import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMPOSE_HAPROXY, COMPOSE_HAPROXY_FILE, haproxyConfig } from "../../../scripts/haproxy-config";
import { loadConfig } from "../../../server/config";
import { DEFAULT_LIMITS } from "../../../server/limits";

// compose.yaml is not run here (no container registry): its YAML, what it tells each service, and the
// HAProxy configuration it mounts are checked instead, the latter by HAProxy itself.

const ROOT = resolve(import.meta.dirname, "../../..");

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: unknown;
  stop_grace_period?: string;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(resolve(ROOT, "compose.yaml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
};

/** `${VAR:-default}` → default, `${VAR:?message}` → a value an operator would set. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1")
    .replace(/\$\{OPERATOR_TOKEN:\?[^}]*\}/g, "an-operator-token-of-24c");
}

const hubs = ["hub-a", "hub-b"].map((name) => {
  const env = Object.fromEntries(
    Object.entries(compose.services[name]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
  );
  return { name, env, service: compose.services[name] as Service };
});

describe("compose.yaml", () => {
  it("has PostgreSQL, Redis, two hub nodes and HAProxy", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["haproxy", "hub-a", "hub-b", "postgres", "redis"]);
    expect(compose.services.postgres?.image).toMatch(/^postgres:/);
    expect(compose.services.redis?.image).toMatch(/^redis:/);
    expect(compose.services.haproxy?.image).toMatch(/^haproxy:/);
  });

  it("starts each hub in production on PostgreSQL and Redis, behind a trusted proxy, with a config the hub accepts", () => {
    for (const { name, env, service } of hubs) {
      expect(service.build).toBe(".");
      expect(env).toMatchObject({ NODE_ID: name, NODE_ENV: "production", HOST: "0.0.0.0", PORT: "8080" });
      expect(new URL(env.DATABASE_URL ?? "").hostname).toBe("postgres");
      expect(new URL(env.REDIS_URL ?? "").hostname).toBe("redis");
      expect(env.TRUST_PROXY).toBe("private");
      expect(env.TRUST_PROXY_HEADER).toBe("x-forwarded-for");
      const config = loadConfig(env);
      expect(config.production).toBe(true);
      expect(config.nodeId).toBe(name);
      // Long enough for a drain to finish before Docker's SIGKILL.
      expect(Number.parseInt(service.stop_grace_period ?? "0", 10) * 1000).toBeGreaterThan(
        DEFAULT_LIMITS.drainMs,
      );
      expect(service.healthcheck?.test.slice(0, 3)).toEqual(["CMD", "node", "-e"]);
      expect(service.healthcheck?.test[3]).toMatch(/^fetch\('http:\/\/127\.0\.0\.1:8080\/readyz'\)/);
    }
    // One public address (what QR codes carry), whichever node made them.
    expect(new Set(hubs.map((h) => h.env.PUBLIC_URL)).size).toBe(1);
  });

  it("mounts the generated HAProxy configuration, which is current and which HAProxy accepts", () => {
    expect(compose.services.haproxy?.volumes).toContain(
      "./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro",
    );
    expect(compose.services.haproxy?.ports).toEqual(["8080:8080"]);
    const text = readFileSync(COMPOSE_HAPROXY_FILE, "utf8");
    expect(text, "run: npx tsx scripts/haproxy-config.ts").toBe(haproxyConfig(COMPOSE_HAPROXY));
    for (const line of [
      "option forwardfor",
      "timeout tunnel 1h",
      "http-check send meth GET uri /readyz ver HTTP/1.1",
    ])
      expect(text).toContain(line);
    for (const h of hubs) expect(text).toContain(`server ${h.name} ${h.name}:8080 check`);
    const check = spawnSync("/usr/sbin/haproxy", ["-c", "-f", COMPOSE_HAPROXY_FILE], { encoding: "utf8" });
    expect(check.status, check.stderr).toBe(0);
  });
});
