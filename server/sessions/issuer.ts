import { maskIdNumber, maskName } from "../../shared/mask";
import type { Clock } from "../kernel/clock";
import { ensureDevPerson } from "../people/dev-store";
import { findPersonById, type Person } from "../people/store";
import type { Db } from "../store";
import { writeAudit } from "../store/audit";
import type { SessionEndNotifier } from "./notify";
import type { IssuedSession, IssueOptions, LoginMethodName, SessionIssuer, SessionPayload } from "./seam";
import type { SessionStore } from "./store";

// A finished client login (password, or a redeemed QR grant) becomes a row of `sessions`: the
// SessionIssuer of the hub by default.

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
      maskedName: maskName(person.name),
      maskedIdNumber: maskIdNumber(person.idNumber),
      idType: person.idType,
    },
    expiresAt: expiresAt.toISOString(),
    idleExpiresAt: idleExpiresAt.toISOString(),
  };
}
