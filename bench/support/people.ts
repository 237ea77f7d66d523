import { randomBytes, randomInt } from "node:crypto";
import { hashPassword } from "../../server/people/passwords";
import { openStore } from "../../server/store";
import { gb11643CheckChar } from "../../shared/rules";

// People for the login suites, written straight into the database the hubs use (as a finished
// registration leaves them): a fictitious resident ID, a login name, a phone, an argon2id hash.

export const BENCH_PASSWORD = "Bench2024!ok";

export interface BenchPerson {
  id: string;
  loginName: string;
}

export async function addPeople(databaseUrl: string, count: number): Promise<BenchPerson[]> {
  const db = await openStore({ dataDir: ":memory:", databaseUrl });
  try {
    const hash = await hashPassword(BENCH_PASSWORD); // one hash for all: the verify cost is the same
    const tag = randomBytes(3).toString("hex");
    const out: BenchPerson[] = [];
    // Bounded: a clash (same fictitious ID or phone drawn twice) just draws again.
    for (let i = 0, tries = 0; out.length < count && tries < count * 10; tries++, i++) {
      const two = (n: number) => String(n).padStart(2, "0");
      const first17 = `110101${1950 + randomInt(50)}${two(1 + randomInt(12))}${two(1 + randomInt(28))}${String(randomInt(1000)).padStart(3, "0")}`;
      const idNumber = `${first17}${gb11643CheckChar(first17)}`;
      const loginName = `b${tag}_${i}`;
      const phone = `139${String(randomInt(100_000_000)).padStart(8, "0")}`;
      const rows = await db.query<{ id: string }>(
        `INSERT INTO people (name, id_type, id_number, nationality, login_name, phone, password_hash,
           password_changed_at, household_region, agreement_version, registered_via, created_at)
         VALUES ($1, '居民身份证', $2, NULL, $3, $4, $5, now(), NULL, 'bench', 'hall_code', now())
         ON CONFLICT DO NOTHING RETURNING id`,
        [`测试${i}`, idNumber, loginName, phone, hash],
      );
      if (rows[0]) out.push({ id: rows[0].id, loginName });
    }
    return out;
  } finally {
    await db.close();
  }
}
