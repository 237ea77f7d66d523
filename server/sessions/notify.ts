import { z } from "zod";
import { SessionEndReason } from "../../shared/protocol";
import type { Bus } from "../bus/bus";
import type { EndReason } from "./rules";

// "These sessions ended": whoever ends a session in the store (logout, password reset, revoked
// authorization, the hall's reset, a replaced QR session) says so on the bus, and every hub node
// closes the sockets it holds for them (`session.ended`, then close code SESSION_ENDED). The store is
// the truth: a node that missed the notice still refuses the session at its next look.

/** Bus topic of the notice. */
export const SESSION_ENDED_TOPIC = "session.ended";

export const SessionEndedNotice = z.strictObject({
  sessionIds: z.array(z.string().min(1).max(128)).min(1).max(1000),
  reason: SessionEndReason,
});
export type SessionEndedNotice = z.infer<typeof SessionEndedNotice>;

/** Tells every node to close the sockets of these sessions (with SESSION_ENDED). */
export function announceSessionsEnded(bus: Bus, notice: SessionEndedNotice): Promise<void> {
  return bus.publish(SESSION_ENDED_TOPIC, JSON.stringify(SessionEndedNotice.parse(notice)));
}

export interface SessionEndNotifier {
  /** Closes these sessions' sockets on every node. Never throws: a lost notice only delays the close
   *  until the socket's next message or idle check, which read the store. */
  sessionsEnded(ids: readonly string[], reason: EndReason): Promise<void>;
}

export function busNotifier(bus: Bus, onError: (err: unknown) => void = () => {}): SessionEndNotifier {
  return {
    async sessionsEnded(ids, reason) {
      for (let i = 0; i < ids.length; i += 1000) {
        const sessionIds = ids.slice(i, i + 1000);
        await announceSessionsEnded(bus, { sessionIds, reason }).catch(onError);
      }
    },
  };
}

/** Nobody to tell (a tool without a bus): ended sessions are refused at their next look. */
export const silentNotifier: SessionEndNotifier = { sessionsEnded: async () => {} };
