import type { z } from "zod";
import type { ErrorCode } from "../../shared/errors";
import { maskName } from "../../shared/mask";
import type { CaptchaAnswer, ClientMessage, HubMessage } from "../../shared/protocol";
import { checkDeclarationPassword, checkTaxId } from "../../shared/rules";
import { dateOf } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import { declarationRefusal } from "../lockout/answers";
import { guardedAttempt } from "../lockout/attempt";
import { verifySecret } from "../people/passwords";
import { findPersonById } from "../people/store";
import type { ClientSessions } from "../sessions/socket";
import { audit } from "../store/audit";
import type { Connection, ConnectionSession } from "../ws/connection";
import type { CompanyDeps } from "./deps";
import { type CompanyFacts, checkEnter, companyView, type Method, visibleCompanies } from "./rules";
import { bindCompany, type CompanyRow, companyFacts, findCompany } from "./store";

// seed 1.3 单位办税验证 on the client socket: the company list, adding a company (taxpayer ID +
// declaration password), entering one by its declaration password, by the legal representative's
// authorization or (before CA_CUTOFF) by CA, and 切换单位. The rules are in server/company/rules.ts.
//
//   session ──company.list──▶ list ──declaration.verify / authorization.enter / ca.*──▶ company.entered
//      │                       ▲                                                          │
//      └──company.add──────────┼──(right password: bound, and entered)────────────────────┤
//                              └────────────────────────────company.switch────────────────┘

type Step = "company.add" | "declaration.verify" | "authorization.enter" | "ca.challenge" | "ca.verify";

export class CompanySteps {
  constructor(
    private readonly d: CompanyDeps,
    private readonly sessions: ClientSessions,
  ) {}

  async list(conn: Connection, msg: ClientMessage<"company.list">): Promise<void> {
    const s = await this.sessions.live(conn);
    conn.send(await this.listMessage(s, msg.rid));
  }

  /** 切换单位: back to the list, still logged in. */
  async switchCompany(conn: Connection, msg: ClientMessage<"company.switch">): Promise<void> {
    const s = await this.sessions.live(conn);
    if (s.company) {
      await this.d.sessions.setCompany(s.id, null);
      s.company = null;
      this.d.events.emit("company.switched", { conn: conn.id, person: await this.maskedPerson(s) });
      await audit(this.d, { actor: `person:${s.personId}`, action: "company.switch", outcome: "ok" });
    }
    conn.send(await this.listMessage(s, msg.rid));
  }

  /** seed 1.3: the first time, taxpayer ID + declaration password; bound only once the password was right. */
  async add(conn: Connection, msg: ClientMessage<"company.add">): Promise<void> {
    const s = await this.before(conn);
    const taxId = await this.refuseUnless(conn, s, "company.add", msg.taxId, taxIdOf(msg.taxId));
    const company = await findCompany(this.d.db, taxId);
    if (!company) return this.refuse(conn, s, "company.add", taxId, "COMPANY_NOT_FOUND", { path: "taxId" });
    await this.declarationTry(conn, s, "company.add", company, msg.declarationPassword, msg.captcha);
    if (await bindCompany(this.d.db, s.personId, taxId, dateOf(this.d.clock)))
      this.d.events.emit("company.bound", { person: await this.maskedPerson(s), taxId });
    await this.enter(conn, s, company, "declaration_password", msg.rid);
  }

  async declaration(conn: Connection, msg: ClientMessage<"declaration.verify">): Promise<void> {
    const { s, company } = await this.allowed(conn, "declaration.verify", msg.taxId, "declaration_password");
    await this.declarationTry(conn, s, "declaration.verify", company, msg.declarationPassword, msg.captcha);
    await this.enter(conn, s, company, "declaration_password", msg.rid);
  }

  /** seed: "办税人员只需要通过输入本人个税APP账号、密码…即可登录办理业务" — with the legal representative's grant. */
  async authorization(conn: Connection, msg: ClientMessage<"authorization.enter">): Promise<void> {
    const { s, company } = await this.allowed(conn, "authorization.enter", msg.taxId, "authorization");
    await this.enter(conn, s, company, "authorization", msg.rid);
  }

  /** seed 1.3.1: "本市单位也可通过CA进行校验" — until CA_CUTOFF, and only with a configured CA root. */
  async caChallenge(conn: Connection, msg: ClientMessage<"ca.challenge">): Promise<void> {
    const { s, company } = await this.allowed(conn, "ca.challenge", msg.taxId, "ca");
    const r = await this.caVerifier().challenge(s.id, company.taxId, dateOf(this.d.clock));
    if (!r.ok) return this.refuse(conn, s, "ca.challenge", company.taxId, r.code);
    conn.send({
      type: "ca.challenge.result",
      ...(msg.rid === undefined ? {} : { rid: msg.rid }),
      taxId: r.taxId,
      nonce: r.nonce,
      expiresAt: r.expiresAt,
    });
  }

  async caVerify(conn: Connection, msg: ClientMessage<"ca.verify">): Promise<void> {
    const { s, company } = await this.allowed(conn, "ca.verify", msg.taxId, "ca");
    const answer = { taxId: company.taxId, certificate: msg.certificate, signature: msg.signature };
    const r = await this.caVerifier().verify(s.id, answer, dateOf(this.d.clock));
    if (!r.ok) return this.refuse(conn, s, "ca.verify", company.taxId, r.code);
    await this.enter(conn, s, company, "ca", msg.rid);
  }

  // ── the steps' common parts ──────────────────────────────────────────────────────────────────

  private caVerifier() {
    if (!this.d.ca) throw new Refusal("CA_NOT_OFFERED");
    return this.d.ca;
  }

  /** Logged in, and not in a company yet (切换单位 first). */
  private async before(conn: Connection): Promise<ConnectionSession> {
    const s = await this.sessions.live(conn);
    if (s.company) throw new Refusal("WRONG_STEP");
    return s;
  }

  /** The handler's facts for this company, and whether this way in is open to them today. */
  private async allowed(
    conn: Connection,
    step: Step,
    typedTaxId: string,
    method: Method,
  ): Promise<{ s: ConnectionSession; company: CompanyRow }> {
    const s = await this.before(conn);
    const taxId = await this.refuseUnless(conn, s, step, typedTaxId, taxIdOf(typedTaxId));
    // No local CA root configured: CA is offered to nobody, whatever the date.
    if (method === "ca" && !this.d.ca) return this.refuse(conn, s, step, taxId, "CA_NOT_OFFERED");
    const [facts] = await companyFacts(this.d.db, s.personId, taxId);
    const check = checkEnter(facts, method, dateOf(this.d.clock), this.d.gates);
    if (!check.ok) return this.refuse(conn, s, step, taxId, check.code);
    const company = await findCompany(this.d.db, taxId);
    if (!company) return this.refuse(conn, s, step, taxId, "COMPANY_NOT_FOUND");
    return { s, company };
  }

  /**
   * seed 1.3.1: a wrong declaration password asks for a captcha next; 5 wrong (the 5th included) lock
   * that company's declaration password for 120 minutes, for every handler, on every node.
   */
  private async declarationTry(
    conn: Connection,
    s: ConnectionSession,
    step: Step,
    company: CompanyRow,
    password: string,
    captcha: z.infer<typeof CaptchaAnswer> | undefined,
  ): Promise<void> {
    const format = checkDeclarationPassword(password);
    if (!format.ok)
      return this.refuse(conn, s, step, company.taxId, format.code, { path: "declarationPassword" });
    const now = dateOf(this.d.clock);
    let solved = false;
    if (captcha) {
      const checked = await this.d.captcha.check("declaration", captcha, now);
      if (!checked.ok)
        return this.refuse(conn, s, step, company.taxId, checked.code, { captchaRequired: true });
      solved = true;
    }
    const result = await guardedAttempt(this.d.lockouts, "declaration", company.taxId, now, solved, () =>
      verifySecret(company.declarationPasswordHash, password),
    );
    if (result.ok) return;
    const refusal = declarationRefusal(result.decision, this.d.publicUrl);
    if (refusal.code === "DECLARATION_LOCKED")
      this.d.events.emit("declaration.locked", {
        taxId: company.taxId,
        minutesLeft: refusal.data.minutesLeft,
      });
    // 办税记录 lists the tries whose password was checked and wrong (the 5th one answers the lock).
    const d = result.decision;
    const checked = d.kind === "wrong" || (d.kind === "locked" && d.justLocked);
    return this.refuse(conn, s, step, company.taxId, refusal.code, refusal.data, { passwordWrong: checked });
  }

  private async enter(
    conn: Connection,
    s: ConnectionSession,
    company: CompanyRow,
    via: Method,
    rid: number | undefined,
  ): Promise<void> {
    await this.d.sessions.setCompany(s.id, { taxId: company.taxId, via });
    s.company = { taxId: company.taxId, name: company.name, via };
    conn.send({ type: "company.entered", ...(rid === undefined ? {} : { rid }), ...s.company });
    this.d.events.emit("company.entered", {
      conn: conn.id,
      person: await this.maskedPerson(s),
      taxId: company.taxId,
      via,
    });
    await audit(this.d, {
      actor: `person:${s.personId}`,
      action: "company.enter",
      subject: company.taxId,
      outcome: "ok",
      // 办税记录: how the person logged in and entered, and from which address.
      detail: { via, login: s.method, ip: conn.ip },
    });
  }

  private async listMessage(s: ConnectionSession, rid?: number): Promise<HubMessage<"company.list.result">> {
    const now = dateOf(this.d.clock);
    const facts: CompanyFacts[] = await companyFacts(this.d.db, s.personId);
    const companies = visibleCompanies(facts, now, this.d.gates).map((f) =>
      companyView(f, now, this.d.gates, this.d.ca !== null),
    );
    return { type: "company.list.result", ...(rid === undefined ? {} : { rid }), companies };
  }

  private async refuseUnless(
    conn: Connection,
    s: ConnectionSession,
    step: Step,
    typed: string,
    r: { ok: true; value: string } | { ok: false; code: ErrorCode },
  ): Promise<string> {
    if (r.ok) return r.value;
    return this.refuse(conn, s, step, typed.slice(0, 32), r.code, { path: "taxId" });
  }

  /** Every refusal of a company step: audited, an event, then the error the client shows. */
  private async refuse(
    conn: Connection,
    s: ConnectionSession,
    step: Step,
    taxId: string,
    code: ErrorCode,
    data: Record<string, unknown> = {},
    detail: Record<string, boolean> = {},
  ): Promise<never> {
    const left = data.attemptsLeft;
    this.d.events.emit("company.refused", {
      conn: conn.id,
      step,
      taxId,
      code,
      ...(typeof left === "number" ? { attemptsLeft: left } : {}),
    });
    await audit(this.d, {
      actor: `person:${s.personId}`,
      action: step,
      subject: taxId,
      outcome: code,
      detail: { ip: conn.ip, ...detail },
    });
    throw new Refusal(code, data);
  }

  private async maskedPerson(s: ConnectionSession): Promise<string> {
    const p = await findPersonById(this.d.db, s.personId);
    return maskName(p?.name ?? "");
  }
}

function taxIdOf(typed: string): { ok: true; value: string } | { ok: false; code: ErrorCode } {
  const r = checkTaxId(typed);
  return r.ok ? { ok: true, value: r.value } : { ok: false, code: r.code };
}
