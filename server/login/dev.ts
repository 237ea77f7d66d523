import { DEV_PEOPLE, devPerson } from "../people/dev";
import { ensureDevPerson } from "../people/dev-store";
import type { DevLogin, PhoneIdentity } from "../qr/phone-auth";
import type { SessionStore } from "../sessions/store";
import type { Queryable } from "../store";

/**
 * DEVELOPMENT ONLY (POST /api/app/dev-login, refused in production): a dev identity logged in with no
 * password, as a real 'app' session of the store — so a QR it confirms logs the client in like any
 * other phone's would.
 */
export class StoreDevLogin implements DevLogin {
  constructor(
    private readonly db: Queryable,
    private readonly sessions: SessionStore,
    private readonly now: () => Date,
  ) {}

  async login(personId?: string): Promise<{ token: string; who: PhoneIdentity } | null> {
    const dev = personId ? devPerson(personId) : DEV_PEOPLE[0];
    if (!dev) return null;
    const id = await ensureDevPerson(this.db, dev.uuid);
    if (!id) return null;
    const created = await this.sessions.create({ personId: id, kind: "app" }, this.now());
    return { token: created.token, who: { personId: id, name: dev.name } };
  }
}
