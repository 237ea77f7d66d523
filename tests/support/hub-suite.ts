import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Hub, HubOptions } from "../../server/hub";
import { ManualClock } from "../../server/kernel/clock";
import {
  ACME,
  BETA,
  bind,
  emptyStore,
  financeManager,
  handler,
  handshakeHub,
  legalRep,
  seedCompany,
  seedPerson,
} from "./world";

export interface HubSuite {
  hub: Hub;
  clock: ManualClock;
  /** The handler's id in the store ("" until the first test's seeding). */
  handlerId: string;
}

/**
 * One handshake hub for the whole file (node `nodeId`) on a manual clock at 2024-03-01 09:00 (+08:00). Before
 * each test its store is emptied and seeded with the handler and ACME; with `companies`, also the legal
 * representative, the finance manager (ACME's) and BETA; with `bound`, the handler has added ACME. `take`
 * is handed the hub and clock once they are open, and again with the handler's id after each seeding.
 */
export function hubSuite(
  nodeId: string,
  options: Omit<HubOptions, "clock">,
  seed: { companies?: boolean; bound?: boolean },
  take: (s: HubSuite) => void,
): void {
  const s: HubSuite = {
    hub: undefined as unknown as Hub,
    clock: undefined as unknown as ManualClock,
    handlerId: "",
  };
  beforeAll(async () => {
    s.clock = new ManualClock(Date.parse("2024-03-01T09:00:00+08:00"));
    s.hub = await handshakeHub({ NODE_ID: nodeId }, { clock: s.clock, ...options });
    take(s);
  });
  afterAll(() => s.hub.close());
  beforeEach(async () => {
    const db = s.hub.db;
    await emptyStore(db);
    s.handlerId = await seedPerson(db, handler);
    if (seed.companies) {
      await seedPerson(db, legalRep);
      await seedPerson(db, financeManager);
      await seedCompany(db, ACME, { finance: financeManager });
      await seedCompany(db, BETA);
    } else {
      await seedCompany(db, ACME);
    }
    if (seed.bound) await bind(db, s.handlerId, ACME);
    take(s);
  });
}
