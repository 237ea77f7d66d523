import type { PortraitVerifier } from "../adapters/portrait";
import type { SmsSender } from "../adapters/sms";
import type { EventSink } from "../events/sink";
import type { Clock } from "../kernel/clock";
import type { SessionEndNotifier } from "../sessions/notify";
import type { Db } from "../store";

/** What the accounts flows need from the world. */
export interface AccountsDeps {
  db: Db;
  events: EventSink;
  clock: Clock;
  /** This node's name in audit rows. */
  nodeId: string;
  /** Absent in production without a provider: SMS steps answer UNAVAILABLE. */
  sms: SmsSender | undefined;
  /** Absent in production without a provider: the face path answers UNAVAILABLE. */
  portrait: PortraitVerifier | undefined;
  /** Closes the sockets of sessions a step ended (a password reset), on every hub node. */
  notifier?: SessionEndNotifier;
}
