import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../../server/people/passwords";
import { findPersonByIdentity } from "../../../server/people/store";
import { openStore } from "../../../server/store";
import { openPglite } from "../../../server/store/pglite";
import { HALL_CODE_ALPHABET } from "../../../shared/rules";
import { makeWorld, smith, taxId, zhang } from "../../support/accounts-world";
import { freshPgDatabase } from "../../support/services";
import { suiteDir } from "../../support/temp-dir";
import { addCompanyArgs, expectMalformedIdRefused, hall, issueCode } from "./run";

describe("the hall CLI on the embedded store", () => {
  let dir: string;
  let env: Record<string, string>;
  suiteDir("shiming-hall-", (d) => {
    dir = d;
    env = { DATA_DIR: d };
  });

  it("issues a code as JSON, which then registers the person", async () => {
    const r = await issueCode(zhang, ["--json"], env);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.code).toMatch(new RegExp(`^[${HALL_CODE_ALPHABET}]{6}$`));
    expect(Date.parse(out.expiresAt) - Date.now()).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
    const db = await openStore({ dataDir: dir, databaseUrl: undefined });
    const w = makeWorld(db);
    w.clock.t = new Date();
    expect((await w.verify(zhang, out.code)).status).toBe(200);
    await db.close();
  });

  it("prints the code once for people, in Chinese and English, with the ID number masked", async () => {
    const r = await issueCode(smith, ["--nationality", "USA"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/大厅注册码 \/ hall registration code: [A-Z0-9]{6}/);
    expect(r.stdout).toContain("E123*5678");
    expect(r.stdout).not.toContain(smith.idNumber);
  });

  it("refuses a malformed ID number with a Chinese message and exit code 1", async () => {
    await expectMalformedIdRefused(env);
  });

  it("refuses an unknown ID type, naming the valid ones", async () => {
    const r = await hall(["issue-code", "--name", "张三", "--id-type", "学生证", "--id-number", "1"], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("居民身份证");
  });

  it("answers usage errors with exit code 2 and the usage text", async () => {
    for (const args of [
      ["frobnicate"],
      ["issue-code", "--name", "张三"],
      ["issue-code", "--colour", "red"],
      [],
    ]) {
      const r = await hall(args, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("usage: npx tsx server/hall/cli.ts");
    }
    expect((await hall(["--help"], env)).code).toBe(0);
  });

  it("exits with 3 while a hub holds the embedded store", async () => {
    const held = await openPglite(dir);
    const r = await hall(["unlock", "--id-number", zhang.idNumber], env);
    await held.close();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/in use by process \d+/);
  });
});

describe("the hall CLI on PostgreSQL", () => {
  let pg: { url: string; drop(): Promise<void> };
  let env: Record<string, string>;
  const TAX_ID = taxId("11223344");

  beforeAll(async () => {
    pg = await freshPgDatabase();
    env = { DATABASE_URL: pg.url };
  });
  afterAll(() => pg.drop());

  it("adds a company, reading the declaration password from stdin, and refuses it a second time", async () => {
    const args = addCompanyArgs(TAX_ID, zhang.idNumber);
    const r = await hall([...args, "--declaration-password", "-", "--local", "--json"], env, "Decl1234\n");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ taxId: TAX_ID, local: true });
    const again = await hall([...args, "--declaration-password", "Decl1234"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("该纳税人识别号已登记");
  });

  it("resets a registered person's password and unlocks them, never printing the password", async () => {
    const db = await openStore({ dataDir: "unused", databaseUrl: pg.url });
    const w = makeWorld(db);
    await w.register(zhang, { loginName: "zhangsan", phone: "13812345678" });
    const r = await hall(
      [
        "reset-password",
        "--id-type",
        zhang.idType,
        "--id-number",
        zhang.idNumber,
        "--password",
        "Hall-reset1",
      ],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("登录密码已重置 / password reset");
    expect(r.stdout + r.stderr).not.toContain("Hall-reset1");
    const person = await findPersonByIdentity(db, zhang.idType, zhang.idNumber);
    expect(await verifyPassword(person, "Hall-reset1")).toBe(true);
    const unlock = await hall(["unlock", "--id-number", zhang.idNumber, "--json"], env);
    expect(JSON.parse(unlock.stdout)).toEqual({ wasLocked: false });
    const decl = await hall(
      ["reset-declaration-password", "--tax-id", TAX_ID, "--password", "-"],
      env,
      "NewDecl5678",
    );
    expect(decl.code).toBe(0);
    expect(decl.stdout).not.toContain("NewDecl5678");
    const rows = await db.query<{ action: string; node: string }>(
      "SELECT action, node FROM audit_log WHERE node = 'hall-cli' ORDER BY id",
    );
    expect(rows.map((r) => r.action)).toEqual([
      "hall.add_company",
      "hall.reset_password",
      "hall.unlock",
      "hall.reset_declaration_password",
    ]);
    await db.close();
  });
});
