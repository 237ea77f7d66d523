import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HUB_FILE, HubFile } from "../../../server/hall/admin";
import { verifyPassword, verifySecret } from "../../../server/people/passwords";
import { findPersonByIdentity } from "../../../server/people/store";
import { openStore } from "../../../server/store";
import { CURRENT_AGREEMENT } from "../../../shared/api/accounts";
import { HALL_CODE_ALPHABET } from "../../../shared/rules";
import { li, taxId, zhang } from "../../support/accounts-world";
import { type HubProcess, spawnHub, watchEvents } from "../../support/hub-nodes";
import { suiteDir } from "../../support/temp-dir";
import { addCompanyArgs, expectMalformedIdRefused, hall, issueCode } from "./run";

// The hall CLI while `npm start` holds the embedded store: the command goes to that hub over its
// loopback admin edge, runs the same service functions there, and answers as if run locally.

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe("the hall CLI while a hub holds the embedded store", () => {
  let dir: string;
  let hub: HubProcess;
  let env: Record<string, string>;
  const TAX_ID = taxId("55667788");

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "shiming-hall-remote-"));
    env = { DATA_DIR: dir };
    hub = await spawnHub({ DATA_DIR: dir, NODE_ID: "counter-node" });
  });
  afterAll(async () => {
    await hub?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it("announces itself in DATA_DIR/hub.json, readable by its owner only", () => {
    const path = join(dir, HUB_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = HubFile.parse(JSON.parse(readFileSync(path, "utf8")));
    expect(file).toMatchObject({ url: hub.url, nodeId: "counter-node", pid: hub.child.pid });
  });

  it("issues a code through the hub, and that code registers the person on the hub", async () => {
    const r = await issueCode(zhang, ["--json"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const { code } = JSON.parse(r.stdout);
    expect(code).toMatch(new RegExp(`^[${HALL_CODE_ALPHABET}]{6}$`));

    const watcher = await watchEvents(hub.url, "?last=0&kind=sms.sent");
    const verified = await post(`${hub.url}/api/register/hall-code`, {
      agreementVersion: CURRENT_AGREEMENT.version,
      channel: "portal",
      hallCode: code,
      ...zhang,
    });
    expect(verified.status).toBe(200);
    const registrationToken = verified.body.registrationToken;
    expect(
      (await post(`${hub.url}/api/register/sms`, { registrationToken, phone: "13811112222" })).status,
    ).toBe(200);
    const sms = await watcher.until((e) => e.kind === "sms.sent");
    watcher.close();
    const done = await post(`${hub.url}/api/register/complete`, {
      registrationToken,
      loginName: "zhangsan_hall",
      password: "Passw0rd!",
      phone: "13811112222",
      smsCode: sms.data.code,
      householdRegion: "110101",
    });
    expect(done.status).toBe(201);
    expect(done.body.loginName).toBe("zhangsan_hall");
  });

  it("adds a company with the declaration password from stdin, and says so when it exists already", async () => {
    const args = addCompanyArgs(TAX_ID, zhang.idNumber);
    const r = await hall([...args, "--declaration-password", "-", "--local", "--json"], env, "Decl1234\n");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ taxId: TAX_ID, local: true });
    const again = await hall([...args, "--declaration-password", "Decl1234", "--json"], env);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).error).toMatchObject({ code: "COMPANY_EXISTS", path: "taxId" });
    expect(again.stderr).toContain("该纳税人识别号已登记");
  });

  it("answers a rule's own message and the field at fault, as the local CLI does", async () => {
    await expectMalformedIdRefused(env);
  });

  it("resets a password through the hub without the password appearing anywhere", async () => {
    const r = await hall(
      ["reset-password", "--id-type", zhang.idType, "--id-number", zhang.idNumber, "--password", "-"],
      env,
      "Hall-reset9",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("登录密码已重置 / password reset");
    expect(r.stdout + r.stderr + hub.output()).not.toContain("Hall-reset9");
    const unlock = await hall(["unlock", "--tax-id", TAX_ID, "--json"], env);
    expect(JSON.parse(unlock.stdout)).toEqual({ wasLocked: false });
  });

  it("refuses a request without the token, with a wrong one, or relayed by a proxy", async () => {
    const file = HubFile.parse(JSON.parse(readFileSync(join(dir, HUB_FILE), "utf8")));
    const body = JSON.stringify({
      operator: "front-desk",
      command: { command: "unlock-company", taxId: TAX_ID },
    });
    const send = (headers: Record<string, string>) =>
      fetch(`${hub.url}/internal/hall`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      }).then(async (res) => ({ status: res.status, body: await res.json() }));
    expect(await send({})).toMatchObject({ status: 401, body: { code: "NOT_LOGGED_IN" } });
    expect(await send({ authorization: `Bearer ${file.token}x` })).toMatchObject({ status: 401 });
    expect(
      await send({ authorization: `Bearer ${file.token}`, "x-forwarded-for": "198.51.100.9" }),
    ).toMatchObject({
      status: 403,
      body: { code: "ORIGIN_NOT_ALLOWED" },
    });
    expect(await send({ authorization: `Bearer ${file.token}` })).toMatchObject({
      status: 200,
      body: { json: { wasLocked: false } },
    });
  });

  it("stops announcing itself when it stops, and the CLI then opens the store itself", async () => {
    await hub.kill("SIGTERM");
    expect(existsSync(join(dir, HUB_FILE))).toBe(false);
    const r = await issueCode(li, ["--json"], env);
    expect(r.code).toBe(0);
    const db = await openStore({ dataDir: dir, databaseUrl: undefined });
    try {
      const person = await findPersonByIdentity(db, zhang.idType, zhang.idNumber);
      expect(await verifyPassword(person, "Hall-reset9")).toBe(true);
      const company = await db.query<{ declaration_password_hash: string }>(
        "SELECT declaration_password_hash FROM companies WHERE tax_id = $1",
        [TAX_ID],
      );
      expect(await verifySecret(company[0]?.declaration_password_hash ?? null, "Decl1234")).toBe(true);
      // Through the hub the rows name the hub's node; run locally, "hall-cli". The operator is the CLI's.
      const rows = await db.query<{ action: string; node: string; actor: string }>(
        "SELECT action, node, actor FROM audit_log WHERE action LIKE 'hall.%' ORDER BY id",
      );
      const me = `hall:${userInfo().username}`;
      expect(rows.map((r) => [r.action, r.node, r.actor])).toEqual([
        ["hall.issue_code", "counter-node", me],
        ["hall.add_company", "counter-node", me],
        ["hall.reset_password", "counter-node", me],
        ["hall.unlock", "counter-node", me],
        ["hall.unlock", "counter-node", "hall:front-desk"],
        ["hall.issue_code", "hall-cli", me],
      ]);
    } finally {
      await db.close();
    }
  });
});

describe("a hub.json left by a hub that died", () => {
  let dir: string;
  suiteDir("shiming-hall-stale-", (d) => {
    dir = d;
  });

  it("is ignored: the CLI opens the store itself", async () => {
    const dead = 2 ** 22 + 12345; // above the default pid_max: no live process has it
    await writeFile(
      join(dir, HUB_FILE),
      JSON.stringify({
        url: "http://127.0.0.1:9",
        publicUrl: "http://127.0.0.1:9",
        token: "t".repeat(43),
        pid: dead,
        nodeId: "gone",
      }),
    );
    const r = await hall(["unlock", "--id-number", zhang.idNumber, "--json"], { DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe("PERSON_NOT_FOUND");
  });
});
