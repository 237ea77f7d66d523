import { CURRENT_AGREEMENT } from "../../shared/api/accounts";
import type { Queryable } from "../store";

// DEVELOPMENT ONLY — test identities the phone stand-in logs in as with /api/app/dev-login (never in
// production). Made-up people; the ID numbers are fictitious and never shown unmasked. Each has a fixed
// store id, so every hub node in development can put the same person in its own store on first use
// (ensureDevPerson below).
export interface DevPerson {
  /** The handle tests and developers use (dev-login's `personId`). */
  personId: string;
  /** Its id in the `people` table. */
  uuid: string;
  name: string;
  idType: string;
  idNumber: string;
  loginName: string;
  phone: string;
}

export const DEV_PEOPLE: readonly DevPerson[] = [
  {
    personId: "dev-zhang-san",
    uuid: "00000000-0000-4000-8000-00000000d001",
    name: "张三",
    idType: "居民身份证",
    idNumber: "110101199003074514",
    loginName: "dev_zhang_san",
    phone: "19900000001",
  },
  {
    personId: "dev-li-si",
    uuid: "00000000-0000-4000-8000-00000000d002",
    name: "李四",
    idType: "居民身份证",
    idNumber: "310104198811020036",
    loginName: "dev_li_si",
    phone: "19900000002",
  },
  {
    personId: "dev-ouyang-nana",
    uuid: "00000000-0000-4000-8000-00000000d003",
    name: "欧阳娜娜",
    idType: "居民身份证",
    idNumber: "440305200001016623",
    loginName: "dev_ouyang_nana",
    phone: "19900000003",
  },
  {
    personId: "dev-chen-wei",
    uuid: "00000000-0000-4000-8000-00000000d004",
    name: "陈伟",
    idType: "港澳居民来往内地通行证",
    idNumber: "H12345678",
    loginName: "dev_chen_wei",
    phone: "19900000004",
  },
];

/** A dev person by handle or by store id. */
export function devPerson(id: string): DevPerson | null {
  return DEV_PEOPLE.find((p) => p.personId === id || p.uuid === id) ?? null;
}

// DEVELOPMENT ONLY: the dev identities (above) as rows of `people`, made on first use
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
