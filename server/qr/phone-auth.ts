import { maskName } from "../../shared/mask";
import { hashToken } from "../kernel/tokens";
import { findPersonById } from "../people/store";
import { API_SESSION_KINDS } from "../sessions/caller";
import type { SessionStore } from "../sessions/store";
import type { Queryable } from "../store";
import type { PhoneRef } from "./ticket";

// Who is holding the phone: the person behind the app's (or portal's) session token, as the phone API
// asks before every scan and confirm.

export interface PhoneIdentity {
  personId: string;
  name: string;
}

export interface PhoneAuth {
  authenticate(bearerToken: string): Promise<PhoneIdentity | null>;
}

/** The phone as a ticket records it: its session as a hash, the person's name masked. */
export function phoneRef(bearerToken: string, who: PhoneIdentity): PhoneRef {
  return { session: hashToken(bearerToken), personId: who.personId, maskedName: maskName(who.name) };
}

/** DEVELOPMENT ONLY: logs a test identity in without a password (POST /api/app/dev-login). */
export interface DevLogin {
  login(personId?: string): Promise<{ token: string; who: PhoneIdentity } | null>;
}

/** The phone API's PhoneAuth (who scans a QR) over the same sessions. */
export class AppPhoneAuth implements PhoneAuth {
  constructor(
    private readonly db: Queryable,
    private readonly sessions: SessionStore,
    private readonly now: () => Date,
  ) {}

  async authenticate(bearerToken: string): Promise<PhoneIdentity | null> {
    const look = await this.sessions.authenticate(bearerToken, API_SESSION_KINDS, this.now());
    if (!look.alive) return null;
    const person = await findPersonById(this.db, look.session.personId);
    return person ? { personId: person.id, name: person.name } : null;
  }
}
