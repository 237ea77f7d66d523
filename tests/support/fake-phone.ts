import type { PhoneTicketView } from "../../shared/protocol";

// A scripted phone app: logs in with a development identity, then scans, confirms or cancels over
// the real HTTP API of whichever hub node it talks to.

export interface PhoneReply<T = PhoneTicketView> {
  status: number;
  body: T & { code?: string; message?: string };
}

export class FakePhone {
  constructor(
    readonly hubUrl: string,
    readonly token: string,
    /** Sent with every call, e.g. X-Forwarded-For as a trusted proxy in front would write it. */
    readonly headers: Record<string, string> = {},
  ) {}

  /** The same phone (same session) seen through other headers: from another address. */
  withHeaders(headers: Record<string, string>): FakePhone {
    return new FakePhone(this.hubUrl, this.token, headers);
  }

  static async login(hubUrl: string, personId?: string): Promise<FakePhone> {
    const res = await fetch(`${hubUrl}/api/app/dev-login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(personId ? { personId } : {}),
    });
    if (res.status !== 200) throw new Error(`dev-login answered ${res.status}`);
    const body = (await res.json()) as { token: string };
    return new FakePhone(hubUrl, body.token);
  }

  /** Logs in as a registered person through the phone pages' own API (/api/app/login). */
  static async loginWithPassword(hubUrl: string, account: string, password: string): Promise<FakePhone> {
    const res = await fetch(`${hubUrl}/api/app/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ account, password }),
    });
    if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { token: string };
    return new FakePhone(hubUrl, body.token);
  }

  /** The ticket id a camera reads from the QR's URL (`…/app/qr/<id>`). */
  static ticketIdOf(qrUrl: string): string {
    const id = new URL(qrUrl).pathname.split("/").pop();
    if (!id) throw new Error(`no ticket in ${qrUrl}`);
    return id;
  }

  /** `qr`: a ticket id, or the whole URL a QR carried (with a rotated QR's `?s=` stamp). */
  view(qr: string): Promise<PhoneReply> {
    const { id, query } = FakePhone.read(qr);
    return this.call("GET", `/api/app/qr/${id}${query}`);
  }

  scan(qr: string): Promise<PhoneReply> {
    const { id, query } = FakePhone.read(qr);
    return this.call("POST", `/api/app/qr/${id}/scan${query}`);
  }

  private static read(qr: string): { id: string; query: string } {
    if (!/^https?:/.test(qr)) return { id: qr, query: "" };
    const stamp = new URL(qr).searchParams.get("s");
    return { id: FakePhone.ticketIdOf(qr), query: stamp ? `?s=${encodeURIComponent(stamp)}` : "" };
  }

  confirm(id: string): Promise<PhoneReply> {
    return this.call("POST", `/api/app/qr/${id}/confirm`);
  }

  cancel(id: string): Promise<PhoneReply> {
    return this.call("POST", `/api/app/qr/${id}/cancel`);
  }

  private async call(method: string, path: string): Promise<PhoneReply> {
    const res = await fetch(`${this.hubUrl}${path}`, {
      method,
      headers: { ...this.headers, authorization: `Bearer ${this.token}` },
    });
    return { status: res.status, body: (await res.json()) as PhoneReply["body"] };
  }
}
