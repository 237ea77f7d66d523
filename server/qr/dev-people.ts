// DEVELOPMENT ONLY — test identities the phone stand-in logs in as until the accounts capability lands.
// Made-up people; the ID numbers are fictitious and never shown unmasked.
export interface DevPerson {
  personId: string;
  name: string;
  idType: string;
  idNumber: string;
}

export const DEV_PEOPLE: readonly DevPerson[] = [
  { personId: "dev-zhang-san", name: "张三", idType: "居民身份证", idNumber: "110101199003074514" },
  { personId: "dev-li-si", name: "李四", idType: "居民身份证", idNumber: "310104198811020036" },
  { personId: "dev-ouyang-nana", name: "欧阳娜娜", idType: "居民身份证", idNumber: "440305200001016623" },
  { personId: "dev-chen-wei", name: "陈伟", idType: "港澳居民来往内地通行证", idNumber: "H12345678" },
];

export function devPerson(personId: string): DevPerson | null {
  return DEV_PEOPLE.find((p) => p.personId === personId) ?? null;
}
