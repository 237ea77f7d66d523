// DEVELOPMENT ONLY — test identities the phone stand-in logs in as with /api/app/dev-login (never in
// production). Made-up people; the ID numbers are fictitious and never shown unmasked. Each has a fixed
// store id, so every hub node in development can put the same person in its own store on first use
// (server/sessions/dev-people.ts).
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
