import { describe, expect, it } from "vitest";
import { createAdapters } from "../../../server/adapters";
import { MemorySink } from "../../../server/events/sink";

describe("choosing the SMS and portrait adapters", () => {
  it("uses the development adapters outside production, announcing them", () => {
    const logs: string[] = [];
    const a = createAdapters(
      new MemorySink(),
      { DEV_FACE_ID_NUMBERS: "110101199003074514, 110105198512240024" },
      (l) => logs.push(l),
    );
    expect(a.sms?.name).toBe("dev");
    expect(a.portrait?.name).toBe("dev");
    expect(logs.join("\n")).toMatch(/DEVELOPMENT SMS sender/);
    expect(logs.join("\n")).toMatch(/DEVELOPMENT portrait verifier .* 2 test identities/);
  });

  it("refuses them in production unless DEV_ADAPTERS=1 asks for them", () => {
    const none = createAdapters(new MemorySink(), { NODE_ENV: "production" }, () => {});
    expect(none).toEqual({ sms: undefined, portrait: undefined });
    const asked = createAdapters(new MemorySink(), { NODE_ENV: "production", DEV_ADAPTERS: "1" }, () => {});
    expect(asked.sms?.name).toBe("dev");
  });

  it("puts the code in the event stream with the phone masked — the dev sender only", async () => {
    const events = new MemorySink();
    const { sms } = createAdapters(events, {}, () => {});
    await sms?.send({ phone: "13812345678", code: "123456", purpose: "register", ttlMinutes: 5 });
    expect(events.ofKind("sms.sent")).toEqual([
      { sender: "dev", dev: true, phone: "138****5678", purpose: "register", code: "123456", ttlMinutes: 5 },
    ]);
  });

  it("accepts only the configured identities with a non-empty capture", async () => {
    const { portrait } = createAdapters(
      new MemorySink(),
      { DEV_FACE_ID_NUMBERS: "110101199003074514" },
      () => {},
    );
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff]);
    expect(await portrait?.verify({ idNumber: "110101199003074514", name: "张三", capture: jpeg })).toBe(
      "match",
    );
    expect(
      await portrait?.verify({ idNumber: "110101199003074514", name: "张三", capture: new Uint8Array() }),
    ).toBe("no_match");
    expect(await portrait?.verify({ idNumber: "110105198512240024", name: "李四", capture: jpeg })).toBe(
      "no_match",
    );
  });
});
