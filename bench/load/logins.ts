import { serve } from "../support/workers";
import { tally, Wire } from "./wire";

// Load generator for the password-login suites:
// - `pingers`: idle client sockets, each sending `ping` now and then and timing the `pong`;
//   `window` hands over the round trips since the last call;
// - `logins`: password logins flat out, a fresh socket per login, for a given time;
// - `storm`: many wrong passwords for one account at the same instant, over several nodes.

const pingers: Wire[] = [];
let rtts: number[] = [];
let stopPinging = false;
/** However long a suite runs, pingers stop by themselves after this. */
const PING_FOR_AT_MOST_MS = 15 * 60_000;

serve({
  async pingers(cmd) {
    const { url, sockets, intervalMs } = cmd as { url: string; sockets: number; intervalMs: number };
    for (let i = 0; i < sockets; i++) pingers.push(await Wire.open(url));
    stopPinging = false;
    const until = performance.now() + PING_FOR_AT_MOST_MS;
    for (const w of pingers) {
      const loop = async () => {
        // Bounded: stops with `stop`, when the socket is gone, or at `until`.
        while (!stopPinging && w.ws.readyState === w.ws.OPEN && performance.now() < until) {
          const t0 = performance.now();
          const pong = await w.request({ type: "ping" }, 10_000);
          if (pong.type === "pong") rtts.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, intervalMs * (0.5 + Math.random())));
        }
      };
      setTimeout(loop, Math.random() * intervalMs); // spread the phases
    }
    return { sockets: pingers.length };
  },

  async window() {
    const out = rtts;
    rtts = [];
    return { rtts: out };
  },

  async logins(cmd) {
    const { url, accounts, password, durationMs } = cmd as {
      url: string;
      accounts: string[];
      password: string;
      durationMs: number;
    };
    const latencies: number[] = [];
    const failures = tally();
    const until = performance.now() + durationMs;
    const lane = async (account: string) => {
      while (performance.now() < until) {
        let wire: Wire | null = null;
        try {
          wire = await Wire.open(url);
          const t0 = performance.now();
          const r = await wire.request({ type: "login.password", account, password });
          if (r.type === "session") latencies.push(performance.now() - t0);
          else failures.add(`login.password: ${r.code ?? r.type}`);
        } catch (err) {
          failures.add(err instanceof Error ? err.message.slice(0, 80) : "error");
          await new Promise((r) => setTimeout(r, 50)); // a refused socket must not spin
        } finally {
          wire?.terminate();
        }
      }
    };
    await Promise.all(accounts.map(lane));
    return { latencies, failures: failures.get() };
  },

  async storm(cmd) {
    const { urls, tries, account, password, captchaAnswer } = cmd as {
      urls: string[];
      tries: number;
      account: string;
      password: string;
      captchaAnswer: string;
    };
    // Everything that can happen before the tries does: sockets open, captchas drawn.
    const ready = await Promise.all(
      Array.from({ length: tries }, async (_, i) => {
        const url = urls[i % urls.length] as string;
        const wire = await Wire.open(url);
        const captcha = await wire.request({ type: "captcha.new", purpose: "login" });
        if (captcha.type !== "captcha")
          throw new Error(`captcha.new answered ${captcha.code ?? captcha.type}`);
        return { wire, url, captchaId: String(captcha.id) };
      }),
    );
    // Then every try leaves in the same tick.
    const answers = await Promise.all(
      ready.map(({ wire, captchaId }) =>
        wire.request({
          type: "login.password",
          account,
          password,
          captcha: { id: captchaId, answer: captchaAnswer },
        }),
      ),
    );
    for (const r of ready) r.wire.terminate();
    const codes = tally();
    for (const a of answers) codes.add(a.type === "error" ? String(a.code) : a.type);
    return { codes: codes.get() };
  },

  async stop() {
    stopPinging = true;
    for (const w of pingers.splice(0)) w.terminate();
    return {};
  },
});
