import { CURRENT_AGREEMENT } from "../../shared/api/accounts";
import type { Queryable } from "../store";
import { type DevPerson, devPerson } from "./dev";

// DEVELOPMENT ONLY: the dev identities (server/qr/dev-people.ts) as rows of `people`, made on first use
// on whichever node needs them (dev-login, or a QR session issued for one). No password works for them
// (the stored hash is not a hash), so they can only come in through dev-login.

const NO_PASSWORD = "!dev-person: no password";

/** The dev person's store id, after making sure the row exists; null if the id is no dev person's. */
export async function ensureDevPerson(db: Queryable, id: string): Promise<string | null> {
  const dev = devPerson(id);
  if (!dev) return null;
  await insert(db, dev);
  const rows = await db.query<{ id: string }>("SELECT id FROM people WHERE id = $1", [dev.uuid]);
  return rows[0]?.id ?? null; // null: someone registered with the same identity, phone or login name
}

async function insert(db: Queryable, p: DevPerson): Promise<void> {
  await db.query(
    `INSERT INTO people (id, name, id_type, id_number, login_name, phone, password_hash, password_changed_at,
       agreement_version, registered_via, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8, 'hall_code', now())
     ON CONFLICT DO NOTHING`,
    [p.uuid, p.name, p.idType, p.idNumber, p.loginName, p.phone, NO_PASSWORD, CURRENT_AGREEMENT.version],
  );
}
