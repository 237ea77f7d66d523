import { canLoginByIdNumber } from "../../shared/rules";
import { beijingTime } from "../../shared/time";
import { AUTHORIZATION, BINDINGS, COMPANIES, company, DEMO_PASSWORD, NEWCOMER, PEOPLE, person } from "./cast";
import type { DemoResult } from "./seed";

// What `npm run demo` prints: which accounts and passwords to type where, in Chinese and English.
// The same facts as JSON with --json, for scripts and tests.

const DEFAULT_URL = "http://127.0.0.1:8080";

export interface GuideContext {
  /** PUBLIC_URL of the hub the pages and the extension talk to. */
  publicUrl: string;
  /** Whether a hub answered there when the demo ran. */
  hubRunning: boolean;
  /** Where the data went, in words (e.g. "embedded store ./data, through the running hub"). */
  store: string;
}

export function demoGuide(result: DemoResult, ctx: GuideContext) {
  const url = ctx.publicUrl.replace(/\/$/, "");
  return {
    store: ctx.store,
    hub: { url, running: ctx.hubRunning },
    password: DEMO_PASSWORD,
    accounts: PEOPLE.map((p) => ({
      name: p.name,
      role: p.role,
      loginName: p.loginName,
      phone: p.phone,
      idType: p.idType,
      idNumber: p.idNumber,
      /** seed 1.1: only 居民身份证 holders may type their ID number as the account. */
      logsInByIdNumber: canLoginByIdNumber(p.idType),
      password: DEMO_PASSWORD,
      /** Company keys (see `companies`): bound ones, then the one authorized. */
      companies: BINDINGS.filter(([who]) => who === p.key).map(([, c]) => c as string),
      authorizedFor: AUTHORIZATION.handler === p.key ? [AUTHORIZATION.company as string] : [],
    })),
    companies: COMPANIES.map((c) => ({
      key: c.key,
      taxId: c.taxId,
      name: c.name,
      declarationPassword: c.declarationPassword,
      local: c.local,
      legalRep: person(c.legalRep).name,
      financeManager: c.financeManager ? person(c.financeManager).name : null,
    })),
    hallCode: {
      code: result.hallCode,
      expiresAt: result.hallCodeExpiresAt,
      name: NEWCOMER.name,
      idType: NEWCOMER.idType,
      idNumber: NEWCOMER.idNumber,
      registerAt: `${url}/web/register`,
    },
    urls: {
      hub: url,
      health: `${url}/healthz`,
      phone: `${url}/app`,
      portal: `${url}/web/register`,
      events: `${url}/dev/events`,
      socket: `${url.replace(/^http/, "ws")}/ws`,
    },
  };
}
export type Guide = ReturnType<typeof demoGuide>;

/** Terminal columns a string takes: CJK and full-width characters take two. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFF00-\uFF60\u{20000}-\u{3FFFD}]/u.test(ch)
      ? 2
      : 1;
  return w;
}
const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - width(s)));

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? "")))) ?? [];
  return rows.map((r) => `  ${r.map((cell, i) => pad(cell, widths[i] ?? 0)).join("  ")}`.trimEnd());
}

export function formatGuide(g: Guide): string {
  const authorized = company(AUTHORIZATION.company);
  const lines = [
    "演示数据已就绪 / demo data ready",
    `  存储 / store: ${g.store}`,
    `  以下证件号码均为虚构 / every ID number below is made up`,
    "",
    `1. 扩展登录 / log in in the extension — 密码均为 / every password: ${g.password}`,
    "   账号可填登录名、手机号码或居民身份证号码 / account: login name, phone, or resident ID number",
    ...table([
      ["姓名 name", "登录名 login", "手机 phone", "证件号码 ID number", "单位 companies"],
      ...g.accounts.map((a) => [
        a.name,
        a.loginName,
        a.phone,
        a.logsInByIdNumber ? a.idNumber : `(${a.idType}，不可用于登录 / not for login)`,
        [a.companies.join("、"), ...a.authorizedFor.map((k) => `+ ${k}（办税授权 / authorized）`)]
          .join(" ")
          .trim() || "—",
      ]),
    ]),
    ...g.accounts.map((a) => `   ${a.loginName}: ${a.role}`),
    "",
    "2. 单位与申报密码 / companies and declaration passwords",
    ...table([
      [
        "",
        "纳税人识别号 taxpayer ID",
        "单位名称 name",
        "申报密码 declaration pw",
        "法定代表人",
        "财务负责人",
        "",
      ],
      ...g.companies.map((c) => [
        c.key,
        c.taxId,
        c.name,
        c.declarationPassword,
        c.legalRep,
        c.financeManager ?? "—",
        c.local ? "本市单位，可CA / local: CA" : "",
      ]),
    ]),
    `   ${person(AUTHORIZATION.handler).loginName} 进入「${authorized.name}」无需申报密码（${person(AUTHORIZATION.grantedBy).name}已授权）`,
    `   / ${person(AUTHORIZATION.handler).loginName} enters company ${authorized.key} without its declaration password (authorized by its legal representative)`,
    "   johnsmith 尚无单位：登录后用纳税人识别号和申报密码添加 D / johnsmith has none yet: add D by taxpayer ID + declaration password",
    "",
    "3. 大厅注册码注册 / register with a hall code",
    `   打开 / open ${g.hallCode.registerAt} → 大厅注册码注册`,
    `   姓名 ${g.hallCode.name}   证件类型 ${g.hallCode.idType}   证件号码 ${g.hallCode.idNumber}`,
    `   注册码 / hall code: ${g.hallCode.code}   (有效期至 / valid until ${beijingTime(g.hallCode.expiresAt)} 北京时间 / Beijing time)`,
    `   短信验证码在事件流中 / the SMS code shows in the event stream: ${g.urls.events}`,
    `   or: ${g.urls.hub === DEFAULT_URL ? "npm run events" : `npm run events -- --url ${g.urls.hub}`}`,
    "",
    "4. 地址 / where",
    ...table([
      ["hub", `${g.urls.hub}  ${g.hub.running ? "(running)" : "(not running: npm start)"}`],
      ["手机页面 phone pages", g.urls.phone],
      ["网页端 portal", g.urls.portal],
      ["事件 events", g.urls.events],
    ]),
    "  扩展 extension: npm run build:ext → chrome://extensions → 开发者模式 / Developer mode → 加载已解压的扩展程序 /",
    `     Load unpacked → .output/chrome-mv3; 选项页填 hub 地址 / options page: hub URL ${g.urls.hub}`,
    "",
    "重新运行 npm run demo 会把演示数据恢复原样，并发放新的注册码 / run npm run demo again to reset it (and get a new hall code).",
  ];
  return `${lines.join("\n")}\n`;
}
