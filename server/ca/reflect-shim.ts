// @peculiar/x509 resolves its algorithm providers through tsyringe, which refuses to load without the
// Reflect metadata API (normally the `reflect-metadata` package, not installed here). tsyringe only
// calls these three; its design-time types are never emitted, so lookups mostly find nothing.
type Meta = Map<unknown, unknown>;
const store = new WeakMap<object, Map<PropertyKey | undefined, Meta>>();

function own(target: object, prop: PropertyKey | undefined, create: boolean): Meta | undefined {
  const byProp = store.get(target) ?? new Map<PropertyKey | undefined, Meta>();
  const meta = byProp.get(prop) ?? new Map<unknown, unknown>();
  if (create) {
    byProp.set(prop, meta);
    store.set(target, byProp);
  }
  return byProp.get(prop);
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== "function") {
  R.defineMetadata = (key: unknown, value: unknown, target: object, prop?: PropertyKey) => {
    own(target, prop, true)?.set(key, value);
  };
  R.getOwnMetadata = (key: unknown, target: object, prop?: PropertyKey) => own(target, prop, false)?.get(key);
  R.getMetadata = (key: unknown, target: object, prop?: PropertyKey) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const meta = own(t, prop, false);
      if (meta?.has(key)) return meta.get(key);
    }
    return undefined;
  };
}
