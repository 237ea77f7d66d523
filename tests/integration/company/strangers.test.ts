import { describe, expect, it } from "vitest";
import type { Hub } from "../../../server/hub";
import type { ManualClock } from "../../../server/kernel/clock";
import type { FakeClient } from "../../support/fake-client";
import { hubSuite } from "../../support/hub-suite";
import { passportHolder } from "../../support/people";
import {
  ACME,
  asError,
  BETA,
  financeManager,
  handler,
  legalRep,
  loggedInClient,
  seedPerson,
  solvedCaptcha,
} from "../../support/world";

// Declaration passwords typed in 「添加单位」 by people with no link to the company (server/company/strangers.ts):
// they lock themselves out of it, never the company for its handlers — unless declarationStrangersToLock
// distinct people do so at once, and then the legal representative's company is locked and it is audited.

let hub: Hub;
let clock: ManualClock;

hubSuite("strangers", { limits: { declarationTriesPerPersonPerHour: 7 } }, { companies: true }, (s) => {
  ({ hub, clock } = s);
});

/** One wrong company.add try (with a solved captcha after the first). */
async function wrongTry(c: FakeClient, taxId: string, i: number) {
  const captcha = i === 0 ? {} : { captcha: await solvedCaptcha(c, "declaration") };
  return asError(
    await c.request({ type: "company.add", taxId, declarationPassword: `Wrong${i}pass99`, ...captcha }),
  );
}

async function fiveWrong(c: FakeClient, taxId: string): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < 5; i++) codes.push((await wrongTry(c, taxId, i)).code);
  return codes;
}

const companyLock = async (taxId: string) =>
  (
    await hub.db.query<{ locked: boolean }>(
      "SELECT locked_until > $2 AS locked FROM lockouts WHERE subject_kind = 'declaration' AND subject_id = $1",
      [taxId, new Date(clock.now())],
    )
  )[0]?.locked ?? false;

describe("declaration passwords typed by someone with no link to the company", () => {
  it("lock that person out of it, while its legal representative still enters", async () => {
    const { client: stranger } = await loggedInClient(hub.url, handler);
    expect(await fiveWrong(stranger, ACME.taxId)).toEqual([
      ...Array(4).fill("DECLARATION_PASSWORD_WRONG"),
      "DECLARATION_LOCKED",
    ]);
    // the right password no longer helps them for 120 minutes…
    const right = await stranger.request({
      type: "company.add",
      taxId: ACME.taxId,
      declarationPassword: ACME.declarationPassword,
      captcha: await solvedCaptcha(stranger, "declaration"),
    });
    expect(asError(right)).toMatchObject({ code: "DECLARATION_LOCKED", minutesLeft: 120 });
    // …but the company is not locked, and its legal representative gets in at once, without a captcha.
    expect(await companyLock(ACME.taxId)).toBe(false);
    const { client: rep } = await loggedInClient(hub.url, legalRep);
    const entered = await rep.request({
      type: "company.add",
      taxId: ACME.taxId,
      declarationPassword: ACME.declarationPassword,
    });
    expect(entered).toMatchObject({ type: "company.entered", taxId: ACME.taxId });
    await Promise.all([stranger.close(), rep.close()]);
  });

  it("count across companies: past declarationTriesPerPersonPerHour the person is refused everywhere", async () => {
    const { client } = await loggedInClient(hub.url, handler);
    await fiveWrong(client, ACME.taxId);
    expect((await wrongTry(client, BETA.taxId, 0)).code).toBe("DECLARATION_PASSWORD_WRONG");
    expect((await wrongTry(client, BETA.taxId, 1)).code).toBe("DECLARATION_PASSWORD_WRONG");
    expect((await wrongTry(client, BETA.taxId, 2)).code).toBe("RATE_LIMITED");
    await client.close();
  });

  it("lock the company for everyone once 3 distinct people each locked themselves out, and audit it", async () => {
    // BETA's legal representative is 赵强; the handler, the finance manager (ACME's only) and the passport
    // holder have no link to it.
    await seedPerson(hub.db, passportHolder);
    for (const [n, p] of [handler, financeManager, passportHolder].entries()) {
      const { client } = await loggedInClient(hub.url, p);
      await fiveWrong(client, BETA.taxId);
      await client.close();
      expect(await companyLock(BETA.taxId)).toBe(n === 2);
    }
    const { client: rep } = await loggedInClient(hub.url, legalRep);
    const refused = await rep.request({
      type: "company.add",
      taxId: BETA.taxId,
      declarationPassword: BETA.declarationPassword,
    });
    expect(asError(refused)).toMatchObject({ code: "DECLARATION_LOCKED", minutesLeft: 120 });
    expect(
      await hub.db.query(
        "SELECT actor, subject, outcome, detail->>'people' AS people FROM audit_log WHERE action = 'declaration.locked_by_others'",
      ),
    ).toEqual([{ actor: "hub", subject: BETA.taxId, outcome: "ok", people: "3" }]);
    // …and the legal representative is told on their registered phone (the development sender's event).
    const notices = (await hub.events.recent(500)).filter((e) => e.kind === "sms.notice");
    expect(notices.map((e) => e.data)).toEqual([
      expect.objectContaining({ phone: "139****0002", kind: "declaration_locked_by_others" }),
    ]);
    expect(String(notices[0]?.data.text)).toContain(BETA.name);
    // The three locks are spent on it: after a reset it takes three people again, not one more.
    const strangersLocked = await hub.db.query(
      "SELECT subject_id FROM lockouts WHERE subject_id LIKE $1 AND locked_until IS NOT NULL",
      [`${BETA.taxId}/by/%`],
    );
    expect(strangersLocked).toEqual([]);
    await rep.close();
  });
});
