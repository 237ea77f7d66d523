import { canRegisterByFace, ID_TYPES, type IdType } from "../../shared/rules";

// The fixture people of the tests, in one place: the identities the accounts suites register
// (张三, 李四, a rare-character name, a passport holder) and the registered people of the handshake
// suites (a tax handler, a legal representative, a finance manager, a passport holder), with their
// login names, phones and password. Every ID number is fictitious but valid (GB 11643 check digit).

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid 居民身份证 number (GB 11643 check digit) from its first 17 digits. */
export function residentId(first17: string): string {
  const sum = [...first17].reduce((acc, d, i) => acc + (W[i] as number) * Number(d), 0);
  return first17 + "10X98765432"[sum % 11];
}

export const RESIDENT = ID_TYPES.find((t) => canRegisterByFace(t)) as IdType;
/** An ID type the face path refuses (a passport). */
export const PASSPORT = (ID_TYPES.find((t) => t.includes("护照") && !canRegisterByFace(t)) ??
  ID_TYPES.find((t) => !canRegisterByFace(t))) as IdType;

export interface Person {
  name: string;
  idType: IdType;
  idNumber: string;
  nationality?: string;
}

export const zhang: Person = { name: "张三", idType: RESIDENT, idNumber: residentId("11010119900307451") };
export const li: Person = { name: "李四", idType: RESIDENT, idNumber: residentId("11010519851224002") };
// A rare character (生僻字) in decomposed-free NFC form.
export const rare: Person = { name: "王𠀾", idType: RESIDENT, idNumber: residentId("31011519920101123") };
export const smith: Person = {
  name: "JOHN SMITH",
  idType: PASSPORT,
  idNumber: "E12345678",
  nationality: "USA",
};

export const PASSWORD = "Passw0rd!x";

export interface TestPerson {
  name: string;
  idType: IdType;
  idNumber: string;
  loginName: string;
  phone: string;
  password: string;
}

export const handler: TestPerson = {
  name: "王芳",
  idType: "居民身份证",
  idNumber: residentId("32010219880512312"),
  loginName: "wangfang",
  phone: "13900000001",
  password: PASSWORD,
};
export const legalRep: TestPerson = {
  name: "赵强",
  idType: "居民身份证",
  idNumber: residentId("44030419750203211"),
  loginName: "zhaoqiang",
  phone: "13900000002",
  password: PASSWORD,
};
export const financeManager: TestPerson = {
  name: "钱敏",
  idType: "居民身份证",
  idNumber: residentId("51010719900101442"),
  loginName: "qianmin",
  phone: "13900000003",
  password: PASSWORD,
};
/** Registered with a passport: logs in by login name or phone only (seed 1.1). */
export const passportHolder: TestPerson = {
  name: "JOHN SMITH",
  idType: "外国护照",
  idNumber: "E98765432",
  loginName: "johnsmith",
  phone: "13900000004",
  password: PASSWORD,
};
