import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { EnterMethod, LoginMethod } from "../../shared/protocol";
import { hashToken, newToken } from "../kernel/tokens";
import type { Queryable } from "../store";
import { type EndReason, expiresAt, idleExpiresAt, type SessionState, touch } from "./rules";

// Who is logged in, everywhere: the client (socket), the phone app and the portal (HTTP) — one table,
// `sessions`, and one set of rules (server/login/session.ts: 30 idle minutes, 8 hours at most).
// The token goes to the holder once; only its SHA-256 is stored and looked up.
//
//   create ──▶ live ──touch (≥ 30 s apart: last_seen_at)──▶ live
//                │
//                ├── idle 30 min or 8 h passed ─▶ ended 'expired'   (found at the next look)
//                └── end(reason) ───────────────▶ ended 'logout' | 'password_reset' | 'authorization_revoked' | 'replaced'
//   An ended session never comes back; its first end reason sticks.

export type SessionKind = "client" | "app" | "portal";
export type LoginMethodName = z.infer<typeof LoginMethod>;
export type EnterMethodName = z.infer<typeof EnterMethod>;

/** last_seen_at is written at most this often: a busy client would otherwise write on every message. */
export const TOUCH_EVERY_MS = 30_000;

export interface SessionRecord {
  id: string;
  personId: string;
  kind: SessionKind;
  /** How a client session logged in; null for the app and the portal. */
  method: LoginMethodName | null;
  /** The company a client session entered, and how. */
  taxId: string | null;
  companyVia: EnterMethodName | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export type SessionLook =
  | { alive: true; session: SessionRecord; idleExpiresAt: Date; expiresAt: Date }
  /** `unknown`: no such token (or of another kind); otherwise why it ended. */
  | { alive: false; reason: EndReason | "unknown" };

interface Row {
  id: string;
  person_id: string;
  kind: SessionKind;
  login_method: LoginMethodName | null;
  tax_id: string | null;
  company_via: EnterMethodName | null;
  created_at: Date | string;
  last_seen_at: Date | string;
  expires_at: Date | string;
  ended_at: Date | string | null;
  end_reason: EndReason | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS =
  "id, person_id, kind, login_method, tax_id, company_via, created_at, last_seen_at, expires_at, ended_at, end_reason";

function record(r: Row): SessionRecord {
  return {
    id: r.id,
    personId: r.person_id,
    kind: r.kind,
    method: r.login_method,
    taxId: r.tax_id,
    companyVia: r.company_via,
    createdAt: new Date(r.created_at),
    lastSeenAt: new Date(r.last_seen_at),
    expiresAt: new Date(r.expires_at),
  };
}

function state(r: Row): SessionState {
  return {
    createdAt: new Date(r.created_at),
    lastSeenAt: new Date(r.last_seen_at),
    ended: r.ended_at ? { reason: r.end_reason ?? "expired", at: new Date(r.ended_at) } : null,
  };
}

export interface NewSession {
  personId: string;
  kind: SessionKind;
  method?: LoginMethodName;
  /** A chosen id (a QR ticket records the session it issued before it exists); random by default. */
  id?: string;
}

export interface CreatedSession {
  /** For the holder only: never stored, logged or sent anywhere else. */
  token: string;
  session: SessionRecord;
  idleExpiresAt: Date;
  expiresAt: Date;
}

export class SessionStore {
  constructor(private readonly db: Queryable) {}

  async create(s: NewSession, now: Date, q: Queryable = this.db): Promise<CreatedSession> {
    const token = newToken();
    const st: SessionState = { createdAt: now, lastSeenAt: now, ended: null };
    const rows = await q.query<Row>(
      `INSERT INTO sessions (id, token_hash, person_id, kind, login_method, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING ${COLUMNS}`,
      [s.id ?? randomUUID(), hashToken(token), s.personId, s.kind, s.method ?? null, now, expiresAt(st)],
    );
    return {
      token,
      session: record(rows[0] as Row),
      idleExpiresAt: idleExpiresAt(st),
      expiresAt: expiresAt(st),
    };
  }

  /** The holder of `token` did something: alive (idle deadline moved) or why not. */
  async authenticate(token: string, kinds: readonly SessionKind[], now: Date): Promise<SessionLook> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM sessions WHERE token_hash = $1`, [
      hashToken(token),
    ]);
    const row = rows[0];
    if (!row || !kinds.includes(row.kind)) return { alive: false, reason: "unknown" };
    return this.look(row, now, true);
  }

  /** The same by id, for a socket that already holds the session. */
  async touch(id: string, now: Date): Promise<SessionLook> {
    const row = await this.row(id);
    return row ? this.look(row, now, true) : { alive: false, reason: "unknown" };
  }

  /** Alive or not, without counting as activity (the idle timer looking). */
  async peek(id: string, now: Date): Promise<SessionLook> {
    const row = await this.row(id);
    return row ? this.look(row, now, false) : { alive: false, reason: "unknown" };
  }

  /** Records activity of a session a node holds in its cache: false if it has ended meanwhile (or is
   *  unknown), so the caller looks again the whole way. One statement: the touch is the check. */
  async touchLive(id: string, now: Date): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const rows = await this.db.query(
      "UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL RETURNING id",
      [id, now],
    );
    return rows.length > 0;
  }

  /** Ends one session; false if it had ended already. */
  async end(id: string, reason: EndReason, now: Date, q: Queryable = this.db): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const rows = await q.query(
      "UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL RETURNING id",
      [id, now, reason],
    );
    return rows.length > 0;
  }

  /**
   * Ends a person's live sessions — all of them, or only client sessions on one company (entered one
   * way). Returns the ids ended, to announce after the transaction commits.
   */
  async endForPerson(
    personId: string,
    reason: EndReason,
    now: Date,
    only: { kind?: SessionKind; taxId?: string; via?: EnterMethodName } = {},
    q: Queryable = this.db,
  ): Promise<string[]> {
    const rows = await q.query<{ id: string }>(
      `UPDATE sessions SET ended_at = $2, end_reason = $3
       WHERE person_id = $1 AND ended_at IS NULL
         AND ($4::text IS NULL OR kind = $4) AND ($5::text IS NULL OR tax_id = $5)
         AND ($6::text IS NULL OR company_via = $6)
       RETURNING id`,
      [personId, now, reason, only.kind ?? null, only.taxId ?? null, only.via ?? null],
    );
    return rows.map((r) => r.id);
  }

  /** The company a client session entered (company.entered), or none (切换单位). */
  async setCompany(id: string, company: { taxId: string; via: EnterMethodName } | null): Promise<void> {
    if (!UUID.test(id)) return;
    await this.db.query("UPDATE sessions SET tax_id = $2, company_via = $3 WHERE id = $1", [
      id,
      company?.taxId ?? null,
      company?.via ?? null,
    ]);
  }

  private async row(id: string): Promise<Row | undefined> {
    if (!UUID.test(id)) return undefined; // e.g. a session from the memory issuer (tests)
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM sessions WHERE id = $1::uuid`, [id]);
    return rows[0];
  }

  private async look(row: Row, now: Date, active: boolean): Promise<SessionLook> {
    const before = state(row);
    const t = touch(before, now);
    if (!t.alive) {
      // Past a deadline nobody recorded yet: record it now, so every node reads the same.
      if (!before.ended) await this.end(row.id, "expired", now);
      return { alive: false, reason: t.reason };
    }
    let kept = before;
    if (active && now.getTime() - before.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.db.query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL", [
        row.id,
        now,
      ]);
      kept = t.state;
    }
    // The deadlines as stored, so every node computes the same (at most TOUCH_EVERY_MS short).
    const session = { ...record(row), lastSeenAt: kept.lastSeenAt };
    return { alive: true, session, idleExpiresAt: idleExpiresAt(kept), expiresAt: expiresAt(kept) };
  }

  /** Removes the sessions of these people or on these companies (the demo's reset). */
  async forget(
    personIds: readonly string[],
    taxIds: readonly string[],
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query("DELETE FROM sessions WHERE person_id = ANY($1::uuid[]) OR tax_id = ANY($2::text[])", [
      personIds,
      taxIds,
    ]);
  }
}
