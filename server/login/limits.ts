import type { Bus } from "../bus/bus";
import { overLimit } from "../bus/limiter";
import { maskIp } from "../events/masking";
import type { EventSink } from "../events/sink";
import type { Clock } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import type { HubLimits } from "../limits";

// The limits of every password-login edge (socket and HTTP), over the bus so they hold across nodes:
// per IP address (a fixed minute and a fixed hour) and per account (a fixed minute); the socket's own window is counted
// by the socket edge (Connection.countInWindow). A wrong password's answer is held back a little
// longer after each recent failure (250 ms, 500 ms, 1 s, 2 s, 2 s by default): a person retyping
// does not notice, a script spraying one account waits. Why these figures: README, "Abuse limits".

export interface LoginLimitDeps {
  bus: Bus;
  limits: HubLimits;
  events: EventSink;
  clock: Clock;
}

const MINUTE = 60_000;

/** Counts one password try from `ip` on `accountKey` (the person's id, or a hash of what was typed). */
export function loginTryCounter(d: LoginLimitDeps, ip: string): (accountKey: string) => Promise<void> {
  return async (accountKey) => {
    const now = d.clock.now();
    const perIp = { max: d.limits.loginsPerIpPerMinute, windowMs: MINUTE };
    if ((await overLimit(d.bus, `login-ip:${ip}`, perIp, now)) !== null) {
      d.events.emit("limit.hit", { limit: "loginsPerIpPerMinute", ip: maskIp(ip) });
      throw new Refusal("RATE_LIMITED");
    }
    const perIpHour = { max: d.limits.loginsPerIpPerHour, windowMs: 60 * MINUTE };
    if ((await overLimit(d.bus, `login-ip-hour:${ip}`, perIpHour, now)) !== null) {
      d.events.emit("limit.hit", { limit: "loginsPerIpPerHour", ip: maskIp(ip) });
      throw new Refusal("RATE_LIMITED");
    }
    const perAccount = { max: d.limits.loginsPerAccountPerMinute, windowMs: MINUTE };
    if ((await overLimit(d.bus, `login-account:${accountKey}`, perAccount, now)) !== null) {
      d.events.emit("limit.hit", { limit: "loginsPerAccountPerMinute" });
      throw new Refusal("RATE_LIMITED");
    }
  };
}

/** How long a wrong password's answer waits after `failuresBefore` recent wrong ones: doubling, capped. */
export function failureDelayMs(limits: HubLimits, failuresBefore: number): number {
  const grown = limits.loginFailureDelayMs * 2 ** Math.max(0, Math.min(failuresBefore, 20));
  return Math.min(limits.loginFailureDelayMaxMs, grown);
}

/** Waits out the progressive delay on the hub's clock (tests move a ManualClock; nothing sleeps there). */
export function failureHoldBack(d: Pick<LoginLimitDeps, "limits" | "clock">) {
  return (failuresBefore: number): Promise<void> => {
    const ms = failureDelayMs(d.limits, failuresBefore);
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => d.clock.setTimer(ms, resolve));
  };
}
