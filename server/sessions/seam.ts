import { randomBytes } from "node:crypto";
import { maskIdNumber, maskName } from "../../shared/mask";
import type { HubMessage, LoginMethod } from "../../shared/protocol";
import type { Clock } from "../kernel/clock";

// The seam through which a finished login (QR redeemed, password) becomes a client session. The hub
// uses the store's (server/sessions/issuer.ts); this memory one stays for tests that want no store.

export type SessionPayload = Omit<HubMessage<"session">, "type" | "rid">;
export type LoginMethodName = (typeof LoginMethod.options)[number];

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

export interface SessionPerson {
  name: string;
  idType: string;
  idNumber: string;
}

/** Sessions as absolute 8 h / idle 30 min, held in memory; enough until the store lands. */
export class MemorySessionIssuer implements SessionIssuer {
  static readonly LIFETIME_MS = 8 * 3600_000;
  static readonly IDLE_MS = 30 * 60_000;
  readonly issued = new Map<string, { personId: string; method: LoginMethodName }>();

  constructor(
    private readonly people: (personId: string) => SessionPerson | null,
    private readonly clock: Clock,
  ) {}

  async issueClientSession(
    personId: string,
    method: LoginMethodName,
    options: IssueOptions = {},
  ): Promise<IssuedSession> {
    const person = this.people(personId);
    if (!person) throw new Error(`no person ${personId}`);
    const now = this.clock.now();
    const sessionId = options.sessionId ?? randomBytes(9).toString("base64url");
    if (options.replaces) this.issued.delete(options.replaces);
    this.issued.set(sessionId, { personId, method });
    return {
      sessionId,
      session: {
        token: randomBytes(32).toString("base64url"),
        method,
        handler: {
          maskedName: maskName(person.name),
          maskedIdNumber: maskIdNumber(person.idNumber),
          idType: person.idType,
        },
        expiresAt: new Date(now + MemorySessionIssuer.LIFETIME_MS).toISOString(),
        idleExpiresAt: new Date(now + MemorySessionIssuer.IDLE_MS).toISOString(),
      },
    };
  }
}
