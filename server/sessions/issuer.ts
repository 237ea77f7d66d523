import { randomUUID } from "node:crypto";
import { maskIdNumber, maskName } from "../../shared/mask";
import type { HubMessage, LoginMethod } from "../../shared/protocol";
import type { Clock } from "../kernel/clock";
import { hashToken, newToken } from "../kernel/tokens";
import { ensureDevPerson } from "../people/dev";
import { findPersonById, type Person } from "../people/store";
import type { Db } from "../store";
import { writeAudit } from "../store/audit";
import type { SessionEndNotifier } from "./notify";
import { expiresAt, idleExpiresAt, startSession } from "./rules";
import type { SessionStore } from "./store";

// A finished client login (password, or a redeemed QR grant) becomes a row of `sessions`, with its
// audit row, atomically: one statement (the person read, the session and the audit row written by
// data-modifying CTEs) on the common path; a transaction when an earlier session is replaced.

export type SessionPayload = Omit<HubMessage<"session">, "type" | "rid">;
export type LoginMethodName = (typeof LoginMethod.options)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface IssuedSession {
  /** The session's id as `session.ended` names it (never the token itself). */
  sessionId: string;
  session: SessionPayload;
}

export interface IssueOptions {
  /** The new session's id, chosen beforehand (a QR ticket records it when it is redeemed). */
  sessionId?: string;
  /** A session this one replaces: it ends (reason `replaced`) as this one starts. */
  replaces?: string | null;
}

export interface SessionIssuer {
  issueClientSession(
    personId: string,
    method: LoginMethodName,
    options?: IssueOptions,
  ): Promise<IssuedSession>;
}

export interface DbSessionIssuerOptions {
  db: Db;
  sessions: SessionStore;
  clock: Clock;
  notifier: SessionEndNotifier;
  /** This node's name in audit rows. */
  nodeId: string;
  /** Development: the dev identities of /api/app/dev-login may be missing from this node's store. */
  devPeople: boolean;
}

export class DbSessionIssuer implements SessionIssuer {
  constructor(private readonly o: DbSessionIssuerOptions) {}

  async issueClientSession(
    personId: string,
    method: LoginMethodName,
    options: IssueOptions = {},
  ): Promise<IssuedSession> {
    if (!options.replaces) {
      const issued = await this.issueInOneStatement(personId, method, options.sessionId);
      if (issued) return issued;
    }
    const person = await this.person(personId);
    const now = new Date(this.o.clock.now());
    const { created, replaced } = await this.o.db.transaction(async (tx) => {
      const replaced = options.replaces
        ? await this.o.sessions.end(options.replaces, "replaced", now, tx)
        : false;
      const created = await this.o.sessions.create(
        {
          personId: person.id,
          kind: "client",
          method,
          ...(options.sessionId ? { id: options.sessionId } : {}),
        },
        now,
        tx,
      );
      await writeAudit(tx, {
        at: now,
        node: this.o.nodeId,
        actor: `person:${person.id}`,
        action: "session.create",
        subject: `${person.idType} ${maskIdNumber(person.idNumber)}`,
        outcome: "ok",
        detail: { kind: "client", method, replaced },
      });
      return { created, replaced };
    });
    if (replaced && options.replaces) await this.o.notifier.sessionsEnded([options.replaces], "replaced");
    return {
      sessionId: created.session.id,
      session: sessionPayload(created.token, method, person, created.idleExpiresAt, created.expiresAt),
    };
  }

  /**
   * The person, the session and its audit row in one statement (a statement is atomic: all or
   * nothing). The audit subject is the ID number masked as `maskIdNumber` does (first 4, last 4).
   * null when the person is not in the store (nothing was written): the slow path decides.
   */
  private async issueInOneStatement(
    personId: string,
    method: LoginMethodName,
    sessionId: string | undefined,
  ): Promise<IssuedSession | null> {
    if (!UUID.test(personId)) return null;
    const now = new Date(this.o.clock.now());
    const state = startSession(now);
    const token = newToken();
    const id = sessionId ?? randomUUID();
    const rows = await this.o.db.query<{ name: string; id_type: string; id_number: string }>(
      `WITH p AS (
         SELECT id, name, id_type, id_number FROM people WHERE id = $1::uuid
       ), s AS (
         INSERT INTO sessions (id, token_hash, person_id, kind, login_method, created_at, last_seen_at, expires_at)
         SELECT $2::uuid, $3::text, p.id, 'client', $4::text, $5::timestamptz, $5::timestamptz, $6::timestamptz
         FROM p RETURNING id
       ), a AS (
         INSERT INTO audit_log (at, node, actor, action, subject, outcome, detail)
         SELECT $5::timestamptz, $7::text, 'person:' || p.id, 'session.create',
                p.id_type || ' ' || CASE WHEN length(p.id_number) <= 8 THEN repeat('*', length(p.id_number))
                  ELSE left(p.id_number, 4) || repeat('*', length(p.id_number) - 8) || right(p.id_number, 4) END,
                'ok', $8::jsonb
         FROM p, s
       )
       SELECT p.name, p.id_type, p.id_number FROM p, s`,
      [
        personId,
        id,
        hashToken(token),
        method,
        now,
        expiresAt(state),
        this.o.nodeId,
        JSON.stringify({ kind: "client", method, replaced: false }),
      ],
    );
    const row = rows[0];
    if (!row) return null;
    const person = { name: row.name, idType: row.id_type as Person["idType"], idNumber: row.id_number };
    return {
      sessionId: id,
      session: sessionPayload(token, method, person, idleExpiresAt(state), expiresAt(state)),
    };
  }

  private async person(personId: string): Promise<Person> {
    const found = await findPersonById(this.o.db, personId);
    if (found) return found;
    if (this.o.devPeople && (await ensureDevPerson(this.o.db, personId)) === personId) {
      const dev = await findPersonById(this.o.db, personId);
      if (dev) return dev;
    }
    throw new Error("a client session for a person who is not in the store");
  }
}

/** The `session` message's fields: the handler as the client shows them (masked). */
export function sessionPayload(
  token: string,
  method: LoginMethodName,
  person: Pick<Person, "name" | "idType" | "idNumber">,
  idleExpiresAt: Date,
  expiresAt: Date,
): SessionPayload {
  return {
    token,
    method,
    handler: {
      name: person.name,
      maskedName: maskName(person.name),
      maskedIdNumber: maskIdNumber(person.idNumber),
      idType: person.idType,
    },
    expiresAt: expiresAt.toISOString(),
    idleExpiresAt: idleExpiresAt.toISOString(),
  };
}
