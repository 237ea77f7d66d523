import { maskName } from "../../shared/mask";
import { hashToken, newToken } from "../kernel/tokens";
import type { DevPerson } from "../people/dev";
import type { PhoneRef } from "./ticket";

// The seam through which the phone API learns who is holding the phone. The app's real login (the
// accounts capability) replaces the development one; scanning needs one or the other.

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

/** DEVELOPMENT ONLY: a DevLogin whose tokens live in this node's memory (the hub's own is over the
 *  store: server/login/dev.ts). */
export class DevPhoneAuth implements PhoneAuth, DevLogin {
  private readonly sessions = new Map<string, PhoneIdentity>();

  constructor(private readonly people: readonly DevPerson[]) {}

  async login(personId?: string): Promise<{ token: string; who: PhoneIdentity } | null> {
    const person = personId ? this.people.find((p) => p.personId === personId) : this.people[0];
    if (!person) return null;
    const token = newToken();
    const who = { personId: person.personId, name: person.name };
    this.sessions.set(hashToken(token), who);
    return { token, who };
  }

  async authenticate(bearerToken: string): Promise<PhoneIdentity | null> {
    return this.sessions.get(hashToken(bearerToken)) ?? null;
  }
}

/** Production without an app login wired in: nobody can scan. */
export const noPhoneAuth: PhoneAuth = { authenticate: async () => null };
