import { afterAll, beforeAll, beforeEach } from "vitest";
import { makeWorld, type World } from "./accounts-world";
import { emptyTables, openTestStore, type StoreKind, type TestStore } from "./stores";

/**
 * Inside a `describe.each(STORES)` body: opens this suite's own store of `kind` once, and before each test
 * empties it and hands `ready` that store and a fresh world on it (built with `options`), to keep or to
 * prepare further (register a person, take a registration token).
 */
export function freshWorldEachTest(
  kind: StoreKind,
  ready: (store: TestStore, w: World) => void | Promise<void>,
  options?: Parameters<typeof makeWorld>[1],
): void {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.cleanup());
  beforeEach(async () => {
    await emptyTables(store.db);
    await ready(store, makeWorld(store.db, options));
  });
}
