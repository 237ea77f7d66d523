import { FakeClient } from "../../support/fake-client";
import { FakePhone } from "../../support/fake-phone";
import { AppUser, type TestPerson } from "../../support/world";

// The first steps of most QR login tests, on one node or two.

/** A client on `clientUrl` showing a fresh ticket, and a phone logged in on `phoneUrl` (the same node unless named). */
export async function ticketAndPhone(clientUrl: string, phoneUrl = clientUrl) {
  const client = await FakeClient.connect(clientUrl);
  const t = await client.issue();
  const phone = await FakePhone.login(phoneUrl);
  return { client, t, phone };
}

/** The client's redemption of ticket `t` with `grant` (and, to forge one, another secret). */
export function redemption(
  t: { ticketId: string; secret: string },
  grant: string | undefined,
  secret = t.secret,
) {
  return { type: "qr.redeem" as const, ticketId: t.ticketId, secret, grant: grant ?? "" };
}

/** The phone app of `person` logged in with their password on `url` (a stored session, not the dev login). */
export async function appPhone(url: string, person: TestPerson): Promise<FakePhone> {
  const app = await AppUser.login(url, person);
  return new FakePhone(url, app.token);
}
