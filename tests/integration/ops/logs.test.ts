import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import { hubLogger } from "../../../server/ops/logs";
import { zhang } from "../../support/accounts-world";
import { FakeClient } from "../../support/fake-client";
import { handler, legalRep } from "../../support/people";
import { handshakeHub, loggedInClient, passwordLogin, seedPerson, solvedCaptcha } from "../../support/world";
import { issueCode } from "../hall/run";
import { appPhone } from "../qr/steps";

// The hub's info log after a real password login, a full QR login (the phone logged in with its
// password), a lock and a hall action: one line each, and not one secret anywhere in the output.

describe("the hub's log", () => {
  let hub: Hub;
  let dir: string;
  const written: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "shiming-logs-"));
    const log = hubLogger("info", "logs-a", { write: (line: string) => written.push(line) });
    hub = await handshakeHub({ NODE_ID: "logs-a", DATA_DIR: dir }, { log });
    await seedPerson(hub.db, handler);
    await seedPerson(hub.db, legalRep);
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes an info line per login, QR step, lock and hall action, with no password, code, token or full ID number", async () => {
    const secrets: string[] = [handler.password, legalRep.password, "Wrong1234x", handler.idNumber];
    secrets.push(legalRep.idNumber, zhang.idNumber);

    const { client: byPassword, session } = await loggedInClient(hub.url, handler);
    secrets.push(session.token);

    const client = await FakeClient.connect(hub.url);
    const t = await client.issue();
    secrets.push(t.ticketId, t.secret);
    const phone = await appPhone(hub.url, handler);
    secrets.push(phone.token);
    expect((await phone.scan(t.ticketId)).status).toBe(200);
    expect((await phone.confirm(t.ticketId)).status).toBe(200);
    const confirmed = client.all("qr.state").find((m) => m.state === "confirmed");
    const qrSession = await client.completeLogin(t);
    secrets.push(qrSession.token, confirmed?.grant ?? client.all("qr.state").at(-1)?.grant ?? "");

    const wrong = await FakeClient.connect(hub.url);
    for (let i = 0; i < 5; i++) {
      const r = await passwordLogin(
        wrong,
        legalRep.loginName,
        "Wrong1234x",
        await solvedCaptcha(wrong, "login"),
      );
      expect(r.type).toBe("error");
    }

    // A hall action through this hub (it holds DATA_DIR): the code goes to the counter, never to the log.
    const issued = await issueCode(zhang, ["--json"], { DATA_DIR: dir });
    expect(issued.code, issued.stderr).toBe(0);
    secrets.push(JSON.parse(issued.stdout).code);

    const lines = written.map(
      (l) => JSON.parse(l) as { level: number; event?: string; data?: Record<string, unknown> },
    );
    const info = lines.filter((l) => l.level === 30 && l.event);
    const kinds = info.map((l) => l.event);
    for (const kind of [
      "qr.issued",
      "qr.scanned",
      "qr.confirmed",
      "qr.redeemed",
      "login.locked",
      "hall.code_issued",
    ])
      expect(kinds, kind).toContain(kind);
    expect(info.filter((l) => l.event === "login.succeeded").map((l) => l.data?.channel)).toEqual(
      expect.arrayContaining(["client", "app"]),
    );
    expect(info.filter((l) => l.event === "login.refused")).toHaveLength(4);

    const output = written.join("");
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(6);
      expect(output.includes(secret), `a secret of ${secret.length} characters is in the log`).toBe(false);
    }
    for (const c of [byPassword, client, wrong]) c.ws.close();
  }, 120_000);

  it("censors a secret-named field whoever logs it", () => {
    const lines: string[] = [];
    const log = hubLogger("info", "logs-b", { write: (line: string) => lines.push(line) });
    log.info({
      password: "p1",
      data: { token: "t1", grant: "g1" },
      req: { headers: { authorization: "Bearer x" } },
    });
    const out = lines.join("");
    for (const s of ["p1", "t1", "g1", "Bearer x"]) expect(out).not.toContain(s);
    expect(out.match(/\[redacted\]/g)).toHaveLength(4);
  });
});
