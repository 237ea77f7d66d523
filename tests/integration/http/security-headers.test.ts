import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { testHub } from "../../support/hub-nodes";

// Every answer of the hub — pages, their assets, the APIs, the console, health, 404s and refusals —
// carries the same security headers (server/http/security-headers.ts, added once in server/http/app.ts).

let dev: Hub;
let prod: Hub;
beforeAll(async () => {
  dev = await testHub({ NODE_ID: "headers-dev" });
  prod = await testHub({ NODE_ID: "headers-prod", NODE_ENV: "production" });
});
afterAll(async () => {
  await Promise.all([dev.close(), prod.close()]);
});

function expectSecurityHeaders(res: Response, what: string): void {
  const csp = res.headers.get("content-security-policy") ?? "";
  const directives = new Map(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  expect(directives.get("script-src"), `${what}: script-src`).toEqual(["'self'"]);
  expect(directives.get("default-src"), `${what}: default-src`).toEqual(["'self'"]);
  expect(directives.get("frame-ancestors"), `${what}: frame-ancestors`).toEqual(["'none'"]);
  expect(directives.get("object-src"), `${what}: object-src`).toEqual(["'none'"]);
  expect(csp, what).not.toContain("unsafe-inline");
  expect(csp, what).not.toContain("unsafe-eval");
  expect(res.headers.get("x-frame-options"), what).toBe("DENY");
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), what).toBe("no-referrer");
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("security headers", () => {
  it("are on the pages and on the assets they load", async () => {
    for (const path of ["/app", "/app/qr/abc", "/web", "/web/register"]) {
      const res = await fetch(`${dev.url}${path}`);
      expect(res.status, path).toBe(200);
      expectSecurityHeaders(res, path);
      const html = await res.text();
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script to allow
      for (const [, asset] of html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)) {
        const a = await fetch(`${dev.url}${asset}`);
        expect(a.status, asset).toBe(200);
        expectSecurityHeaders(a, asset as string);
      }
    }
  });

  it.each([
    ["GET", "/healthz", undefined, 200],
    ["GET", "/api/register/agreement", undefined, 200],
    ["POST", "/api/register/hall-code", json({ nonsense: true }), 400],
    ["POST", "/api/register/hall-code", json({ pad: "x".repeat(200_000) }), 413],
    ["GET", "/api/app/me", undefined, 401],
    ["POST", "/api/app/login", json({}), 400],
    ["GET", "/api/app/qr/abc", undefined, 401],
    ["GET", "/dev/events", undefined, 200],
    ["GET", "/dev/events/page.js", undefined, 200],
    ["GET", "/dev/events/page.css", undefined, 200],
    ["GET", "/dev/events/access", undefined, 204],
    ["GET", "/nope", undefined, 404],
    ["GET", "/api/nope", undefined, 404],
    ["GET", "/api/app/nope", undefined, 404],
    ["GET", "/static/assets/missing.js", undefined, 404],
    ["DELETE", "/healthz", undefined, 404],
  ] as const)("are on %s %s (%s)", async (method, path, init, status) => {
    const res = await fetch(`${dev.url}${path}`, { method, ...init });
    expect(res.status).toBe(status);
    expectSecurityHeaders(res, `${method} ${path}`);
  });

  it.each([
    ["/dev/events", 401],
    ["/dev/events/access", 401],
    ["/app", 200],
    ["/api/app/dev-login", 404],
  ] as const)("are on a production hub's %s (%s)", async (path, status) => {
    const res = await fetch(`${prod.url}${path}`, path.endsWith("dev-login") ? json({}) : {});
    expect(res.status).toBe(status);
    expectSecurityHeaders(res, path);
  });

  it("are on the phone's ticket answers, built whole on the hot path (view, scan, confirm)", async () => {
    const client = await FakeClient.connect(dev.url);
    try {
      const phone = await FakePhone.login(dev.url);
      const t = await client.issue();
      const base = `${dev.url}/api/app/qr/${t.ticketId}`;
      const auth = { authorization: `Bearer ${phone.token}` };
      const answers = [
        await fetch(base, { headers: auth }),
        await fetch(`${base}/scan`, { method: "POST", headers: auth }),
        await fetch(`${base}/confirm`, { method: "POST", headers: auth }),
      ];
      for (const [i, res] of answers.entries()) {
        expect(res.status, `answer ${i}`).toBe(200);
        expectSecurityHeaders(res, `ticket answer ${i}`);
        expect(res.headers.get("x-hub-node")).toBe("headers-dev");
        expect(res.headers.get("content-type")).toBe("application/json");
        expect(((await res.json()) as { ticketId: string }).ticketId).toBe(t.ticketId);
      }
      // The same headers as an answer the app finishes (a refusal on the same route).
      const refused = await fetch(`${base}/cancel`, { method: "POST", headers: auth });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      const names = (r: Response) =>
        [...r.headers.keys()].filter((k) => !["content-length", "date"].includes(k));
      expect(names(answers[2] as Response).sort()).toEqual(names(refused).sort());
    } finally {
      await client.close();
    }
  });

  it("send no Strict-Transport-Security on a plain-http hub", async () => {
    const res = await fetch(`${dev.url}/healthz`);
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });
});
