import { describe, expect, it } from "vitest";
import { type Bus, MemoryBus } from "../../../server/bus";
import { busNotifier, SESSION_ENDED_TOPIC, SessionEndedNotice } from "../../../server/sessions/notify";
import { HubToClient, parseHubFrame, SESSION_END_MESSAGES, SessionEndReason } from "../../../shared/protocol";

// "These sessions ended", told to every node: the notice's shape, and the words a client shows.

describe("the session-ended notice", () => {
  it("goes out in notices of at most 1000 sessions", async () => {
    const bus = new MemoryBus();
    const heard: SessionEndedNotice[] = [];
    await bus.subscribe(SESSION_ENDED_TOPIC, (p) => heard.push(SessionEndedNotice.parse(JSON.parse(p))));
    const ids = Array.from(
      { length: 2500 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    await busNotifier(bus).sessionsEnded(ids, "password_reset");
    await new Promise((r) => setImmediate(r));
    expect(heard.map((n) => n.sessionIds.length)).toEqual([1000, 1000, 500]);
    expect(heard.flatMap((n) => n.sessionIds)).toEqual(ids);
    expect(new Set(heard.map((n) => n.reason))).toEqual(new Set(["password_reset"]));
  });

  it("never throws when the bus is away: the store refuses those sessions anyway", async () => {
    const errors: unknown[] = [];
    const down = { publish: async () => Promise.reject(new Error("redis down")) } as unknown as Bus;
    await expect(
      busNotifier(down, (e) => errors.push(e)).sessionsEnded(["a-session"], "logout"),
    ).resolves.toBe(undefined);
    expect(errors).toHaveLength(1);
  });

  it("sends nothing for no sessions", async () => {
    let published = 0;
    const counting = { publish: async () => void published++ } as unknown as Bus;
    await busNotifier(counting).sessionsEnded([], "logout");
    expect(published).toBe(0);
  });
});

describe("session.ended on the socket", () => {
  it.each(SessionEndReason.options)("carries Chinese words for %s", (reason) => {
    const message = SESSION_END_MESSAGES[reason];
    expect(message).toMatch(/[\u4e00-\u9fff]/);
    const frame = JSON.stringify({ type: "session.ended", reason, message });
    expect(parseHubFrame(frame)).toEqual({ ok: true, value: { type: "session.ended", reason, message } });
  });

  it("is refused without its message, as welcome is without the public URL", () => {
    expect(HubToClient.safeParse({ type: "session.ended", reason: "logout" }).success).toBe(false);
    const welcome = {
      type: "welcome",
      v: 1,
      node: "n",
      serverTime: "2024-03-01T01:00:00.000Z",
      caOffered: false,
      authorizationActive: true,
      qrTtlS: 120,
    };
    expect(HubToClient.safeParse(welcome).success).toBe(false);
    expect(HubToClient.safeParse({ ...welcome, publicUrl: "https://hub.example" }).success).toBe(true);
  });
});
