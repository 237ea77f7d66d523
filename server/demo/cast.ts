import { gb11643CheckChar, type IdType, orgCodeCheckChar, usccCheckChar } from "../../shared/rules";

// DEVELOPMENT ONLY — the made-up people and companies `npm run demo` puts in the store. Every ID
// number and taxpayer ID is fictitious but valid (check characters computed, real GB/T 2260 regions),
// so the pages and the extension accept them as they would real ones.

/** A 居民身份证 number: region (GB/T 2260 county), birth date, 3-digit sequence, check character. */
function residentId(region: string, birth: string, sequence: string): string {
  const first17 = `${region}${birth}${sequence}`;
  return first17 + gb11643CheckChar(first17);
}

/** A unified social credit code of a company (9 工商, 1 企业) registered in `region`. */
function taxId(region: string, orgBody: string): string {
  const first17 = `91${region}${orgBody}${orgCodeCheckChar(orgBody)}`;
  return first17 + usccCheckChar(first17);
}

/** The login password of every demo account (8–15 characters, three kinds: seed 2.1). */
export const DEMO_PASSWORD = "Demo1234";

export interface DemoPerson {
  key: "wangFang" | "liQiang" | "zhaoMin" | "qianJin" | "smith";
  name: string;
  idType: IdType;
  idNumber: string;
  nationality?: string;
  loginName: string;
  phone: string;
  /** 户籍所在地 for the portal path; the foreign passport holder registers in the app without one. */
  householdRegion?: string;
  /** What this person shows in the tour. */
  role: string;
}

export const PEOPLE: readonly DemoPerson[] = [
  {
    key: "wangFang",
    name: "王芳",
    idType: "居民身份证",
    idNumber: residentId("110105", "19920315", "432"),
    loginName: "wangfang",
    phone: "13900000001",
    householdRegion: "110105",
    role: "办税人员，一家单位（登录后直接输入申报密码）/ handler with one company",
  },
  {
    key: "liQiang",
    name: "李强",
    idType: "居民身份证",
    idNumber: residentId("310115", "19880721", "661"),
    loginName: "liqiang",
    phone: "13900000002",
    householdRegion: "310115",
    role: "办税人员，多家单位，其中一家已获办税授权 / handler with several companies, one by authorization",
  },
  {
    key: "zhaoMin",
    name: "赵敏",
    idType: "居民身份证",
    idNumber: residentId("440106", "19791130", "212"),
    loginName: "zhaomin",
    phone: "13900000003",
    householdRegion: "440106",
    role: "法定代表人（已授权李强）/ legal representative (authorized 李强)",
  },
  {
    key: "qianJin",
    name: "钱进",
    idType: "居民身份证",
    idNumber: residentId("330106", "19850412", "531"),
    loginName: "qianjin",
    phone: "13900000004",
    householdRegion: "330106",
    role: "财务负责人 / finance manager",
  },
  {
    key: "smith",
    name: "JOHN SMITH",
    idType: "外国护照",
    idNumber: "EA1234567",
    nationality: "USA",
    loginName: "johnsmith",
    phone: "13900000005",
    role: "外国护照，用登录名或手机号登录；尚未添加单位 / passport holder, logs in by login name; no company yet",
  },
];

export interface DemoCompany {
  key: "A" | "B" | "C" | "D";
  taxId: string;
  name: string;
  declarationPassword: string;
  /** 本市单位: CA verification offered (until CA_CUTOFF). */
  local: boolean;
  legalRep: DemoPerson["key"];
  financeManager?: DemoPerson["key"];
}

export const COMPANIES: readonly DemoCompany[] = [
  {
    key: "A",
    taxId: taxId("110105", "MA01AB11"),
    name: "北京星辰科技有限公司",
    declarationPassword: "DeclA1234",
    local: true,
    legalRep: "zhaoMin",
    financeManager: "qianJin",
  },
  {
    key: "B",
    taxId: taxId("310115", "MA02CD22"),
    name: "上海海川贸易有限公司",
    declarationPassword: "DeclB1234",
    local: false,
    legalRep: "zhaoMin",
    financeManager: "qianJin",
  },
  {
    key: "C",
    taxId: taxId("440106", "MA03EF33"),
    name: "广州岭南餐饮有限公司",
    declarationPassword: "DeclC1234",
    local: false,
    legalRep: "zhaoMin",
  },
  {
    key: "D",
    taxId: taxId("440305", "MA04GH44"),
    name: "深圳前海咨询有限公司",
    declarationPassword: "DeclD1234",
    local: false,
    legalRep: "zhaoMin",
  },
];

/** Handler → the companies they added with the declaration password (seed 1.3). */
export const BINDINGS: readonly [DemoPerson["key"], DemoCompany["key"]][] = [
  ["wangFang", "A"],
  ["liQiang", "A"],
  ["liQiang", "B"],
];

/** The one standing 办税授权: company C's legal representative lets 李强 in without its declaration password. */
export const AUTHORIZATION = { company: "C", handler: "liQiang", grantedBy: "zhaoMin" } as const;

/** Not registered: the hall has issued this identity a code to register with at /web/register. */
export const NEWCOMER = {
  name: "孙丽",
  idType: "居民身份证" as IdType,
  idNumber: residentId("320106", "19980808", "244"),
};

export function person(key: DemoPerson["key"]): DemoPerson {
  return PEOPLE.find((p) => p.key === key) as DemoPerson;
}

export function company(key: DemoCompany["key"]): DemoCompany {
  return COMPANIES.find((c) => c.key === key) as DemoCompany;
}
