import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../../server/kernel/clock";
import { DbSessionIssuer } from "../../../server/sessions/issuer";
import { SessionStore } from "../../../server/sessions/store";
import { identitySubject } from "../../../server/store/audit";
import { maskIdNumber } from "../../../shared/mask";
import { handler, passportHolder, type TestPerson } from "../../support/people";
import { openTestStore, STORES, type TestStore } from "../../support/stores";
import { seedPerson } from "../../support/world";

// A client session and its audit row are written by one statement: the audit subject masks the ID
// number in SQL, exactly as maskIdNumber does (first 4, last 4; all stars up to 8 characters).

describe.each(STORES)("client session issue on %s", (kind) => {
  let store: TestStore;
  let issuer: DbSessionIssuer;
  beforeAll(async () => {
    store = await openTestStore(kind);
    issuer = new DbSessionIssuer({
      db: store.db,
      sessions: new SessionStore(store.db),
      clock: new ManualClock(),
      notifier: { sessionsEnded: async () => {} },
      nodeId: "node-x",
      devPeople: false,
    });
  });
  afterAll(() => store.cleanup());

  const short: TestPerson = {
    ...passportHolder,
    idNumber: "E1234567",
    loginName: "shortid",
    phone: "13900000099",
  };
  const wide: TestPerson = {
    ...passportHolder,
    idNumber: "护照Ｅ９８７６５４３",
    loginName: "wideid",
    phone: "13900000098",
  };

  it.each([
    ["a resident ID", handler],
    ["a passport number", passportHolder],
    ["an ID of 8 characters", short],
    ["an ID of wide characters", wide],
  ])("masks %s in its audit row as the TypeScript mask does", async (_what, p) => {
    const personId = await seedPerson(store.db, p);
    const issued = await issuer.issueClientSession(personId, "qr");
    expect(issued.session.handler.maskedIdNumber).toBe(maskIdNumber(p.idNumber));
    const rows = await store.db.query<{ subject: string; actor: string; node: string }>(
      "SELECT subject, actor, node FROM audit_log WHERE action = 'session.create' AND actor = $1",
      [`person:${personId}`],
    );
    expect(rows).toEqual([
      { subject: identitySubject(p.idType, p.idNumber), actor: `person:${personId}`, node: "node-x" },
    ]);
    const sessions = await store.db.query<{ id: string; kind: string; login_method: string }>(
      "SELECT id, kind, login_method FROM sessions WHERE person_id = $1",
      [personId],
    );
    expect(sessions).toEqual([{ id: issued.sessionId, kind: "client", login_method: "qr" }]);
  });

  it("writes nothing for a person who is not in the store", async () => {
    const before = await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log");
    await expect(issuer.issueClientSession("00000000-0000-4000-8000-000000000000", "qr")).rejects.toThrow();
    expect(await store.db.query("SELECT count(*)::int AS n FROM audit_log")).toEqual(before);
  });
});
