import { maskIdNumber, maskName } from "../../shared/mask";
import { canLoginByIdNumber, type IdType } from "../../shared/rules";
import type { Queryable } from "../store";

// The only writer of `people` (registration, password changes, the development identities, the
// demo's reset) and its reads.

/** A registered person as the server sees them (never sent out whole: mask before showing). */
export interface Person {
  id: string;
  name: string;
  idType: IdType;
  idNumber: string;
  nationality: string | null;
  loginName: string;
  phone: string;
  passwordHash: string;
  householdRegion: string | null;
  agreementVersion: string;
  registeredVia: "hall_code" | "face";
  createdAt: Date;
}

/** A person as their own app or portal shows them: the name whole (it is theirs), the ID number masked. */
export function personView(p: Person) {
  return {
    name: p.name,
    maskedName: maskName(p.name),
    maskedIdNumber: maskIdNumber(p.idNumber),
    idType: p.idType,
  };
}

interface PersonRow {
  id: string;
  name: string;
  id_type: string;
  id_number: string;
  nationality: string | null;
  login_name: string;
  phone: string;
  password_hash: string;
  household_region: string | null;
  agreement_version: string;
  registered_via: "hall_code" | "face";
  created_at: Date;
}

const COLUMNS = `id, name, id_type, id_number, nationality, login_name, phone, password_hash,
  household_region, agreement_version, registered_via, created_at`;

function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    name: r.name,
    idType: r.id_type as IdType,
    idNumber: r.id_number,
    nationality: r.nationality,
    loginName: r.login_name,
    phone: r.phone,
    passwordHash: r.password_hash,
    householdRegion: r.household_region,
    agreementVersion: r.agreement_version,
    registeredVia: r.registered_via,
    createdAt: r.created_at,
  };
}

export async function findPersonById(q: Queryable, id: string): Promise<Person | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const rows = await q.query<PersonRow>(`SELECT ${COLUMNS} FROM people WHERE id = $1`, [id]);
  return rows[0] ? toPerson(rows[0]) : null;
}

export async function findPersonByIdentity(
  q: Queryable,
  idType: string,
  idNumber: string,
): Promise<Person | null> {
  const rows = await q.query<PersonRow>(
    `SELECT ${COLUMNS} FROM people WHERE id_type = $1 AND id_number = $2`,
    [idType, idNumber],
  );
  return rows[0] ? toPerson(rows[0]) : null;
}

/** Everyone registered with this ID number (of this type, if given): the hall looks people up so. */
export async function findPeopleByIdNumber(
  q: Queryable,
  idNumber: string,
  idType?: string | undefined,
): Promise<Person[]> {
  const rows = await q.query<PersonRow>(
    `SELECT ${COLUMNS} FROM people WHERE id_number = $1 AND ($2::text IS NULL OR id_type = $2)`,
    [idNumber, idType ?? null],
  );
  return rows.map(toPerson);
}

export type AccountLookup =
  | { found: true; person: Person; by: "phone" | "login_name" | "id_number" }
  | { found: false; reason: "unknown" }
  /** A registered ID number whose type logs in by login name or phone only (seed 1.1). */
  | { found: false; reason: "id_number_not_allowed"; person: Person };

/**
 * seed 1.1: the account typed at login is the phone, the login name or the ID number — the ID number
 * only for people registered with a 居民身份证 ("注册时选择除居民身份证以外的证件类型，请使用登录名或手机号码
 * 登录"). Login names are 2–16 characters and not all digits, so the three can never collide.
 */
export async function findPersonByAccount(q: Queryable, account: string): Promise<AccountLookup> {
  const typed = account.trim();
  if (!typed) return { found: false, reason: "unknown" };
  const rows = await q.query<PersonRow>(
    `SELECT ${COLUMNS} FROM people WHERE phone = $1 OR login_name = $1 OR id_number = $2`,
    [typed, typed.toUpperCase()],
  );
  const people = rows.map(toPerson);
  const byPhone = people.find((p) => p.phone === typed);
  if (byPhone) return { found: true, person: byPhone, by: "phone" };
  const byName = people.find((p) => p.loginName === typed);
  if (byName) return { found: true, person: byName, by: "login_name" };
  const byId = people.find((p) => canLoginByIdNumber(p.idType));
  if (byId) return { found: true, person: byId, by: "id_number" };
  const [other] = people;
  return other
    ? { found: false, reason: "id_number_not_allowed", person: other }
    : { found: false, reason: "unknown" };
}

/** What registration gives to make an account. */
export type NewPerson = Omit<Person, "id" | "createdAt">;

/** A new account (inside the registration's transaction); the unique keys refuse a clash. Returns its id. */
export async function insertPerson(q: Queryable, p: NewPerson, now: Date): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO people (name, id_type, id_number, nationality, login_name, phone, password_hash,
       password_changed_at, household_region, agreement_version, registered_via, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $8) RETURNING id`,
    [
      p.name,
      p.idType,
      p.idNumber,
      p.nationality,
      p.loginName,
      p.phone,
      p.passwordHash,
      now,
      p.householdRegion,
      p.agreementVersion,
      p.registeredVia,
    ],
  );
  return (rows[0] as { id: string }).id;
}

/** The one password change (忘记密码, the hall's reset). */
export async function setPassword(q: Queryable, personId: string, passwordHash: string, now: Date) {
  await q.query("UPDATE people SET password_hash = $2, password_changed_at = $3 WHERE id = $1", [
    personId,
    passwordHash,
    now,
  ]);
}

/** The ids of the people with these identities (`idType:idNumber`). */
export async function peopleWithIdentities(q: Queryable, identities: readonly string[]): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    "SELECT id FROM people WHERE id_type || ':' || id_number = ANY($1::text[])",
    [identities],
  );
  return rows.map((r) => r.id);
}

/** Removes these people (the demo's reset, after everything that points at them). */
export async function forgetPeople(q: Queryable, ids: readonly string[]) {
  await q.query("DELETE FROM people WHERE id = ANY($1::uuid[])", [ids]);
}
