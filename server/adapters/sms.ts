import { maskPhone } from "../../shared/mask";
import type { EventSink } from "../events/sink";

/** What a code is for; the code of one purpose never works for another. */
export type SmsPurpose = "register" | "reset_password" | "reset_declaration_password";

export interface SmsMessage {
  phone: string;
  code: string;
  purpose: SmsPurpose;
  ttlMinutes: number;
}

/** A notice with no code: something the person should know happened (their company locked, say). */
export interface SmsNotice {
  phone: string;
  kind: "declaration_locked_by_others";
  /** The Chinese text as sent. */
  text: string;
}

/**
 * Sends an SMS verification code (and notices). A provider adapter resolves once the provider accepted the message
 * and rejects when it did not (the flow then answers UNAVAILABLE and forgets the code). It must never
 * log the code or the full phone number.
 */
export interface SmsSender {
  readonly name: string;
  send(message: SmsMessage): Promise<void>;
  notify(notice: SmsNotice): Promise<void>;
}

/**
 * DEVELOPMENT ONLY — sends nothing. It puts the code into the event stream (`sms.sent`, phone masked)
 * so a developer can type it. This is the ONE place in the product where a verification code leaves
 * the server in clear; no production configuration may use it (see createAdapters).
 */
export class DevSmsSender implements SmsSender {
  readonly name = "dev";

  constructor(
    private readonly events: EventSink,
    log: (line: string) => void,
  ) {
    log(
      "[sms] DEVELOPMENT SMS sender in use: no SMS is sent; codes appear in the event stream (sms.sent). Never use in production.",
    );
  }

  async send(m: SmsMessage): Promise<void> {
    this.events.emit("sms.sent", {
      sender: "dev",
      dev: true,
      phone: maskPhone(m.phone),
      purpose: m.purpose,
      code: m.code, // dev sender only: see the class comment
      ttlMinutes: m.ttlMinutes,
    });
  }

  async notify(n: SmsNotice): Promise<void> {
    this.events.emit("sms.notice", {
      sender: "dev",
      dev: true,
      phone: maskPhone(n.phone),
      kind: n.kind,
      text: n.text,
    });
  }
}
