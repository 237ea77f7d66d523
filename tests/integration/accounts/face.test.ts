import { describe, expect, it } from "vitest";
import { MAX_CAPTURE_BYTES } from "../../../shared/api/accounts";
import {
  AGREEMENT,
  CAPTURE,
  li,
  makeWorld,
  type Person,
  smith,
  type World,
  zhang,
} from "../../support/accounts-world";
import { STORES, type TestStore } from "../../support/stores";
import { freshWorldEachTest } from "../../support/world-on-stores";

// seed 2.2.2 — 人脸识别认证注册: "仅支持居民身份证", the capture checked by the portrait service.
describe.each(STORES)("registration by face check on %s", (kind) => {
  let store: TestStore;
  let w: World;
  freshWorldEachTest(
    kind,
    (s, world) => {
      [store, w] = [s, world];
    },
    { faces: [zhang.idNumber, smith.idNumber] },
  );

  const face = (p: Person, over: Record<string, unknown> = {}) =>
    w.post("/api/register/face", { agreementVersion: AGREEMENT, ...p, capture: CAPTURE, ...over });

  it("registers a 居民身份证 holder the verifier recognizes, in the app", async () => {
    const r = await face(zhang);
    expect(r.status).toBe(200);
    expect(r.body.via).toBe("face");
    const done = await w.finish(r.body.registrationToken, { loginName: "zhangsan", phone: "13812345678" });
    expect(done.body).toEqual({ loginName: "zhangsan", maskedPhone: "138****5678", via: "face" });
    const [p] = await store.db.query("SELECT registered_via, agreement_version FROM people");
    expect(p).toEqual({ registered_via: "face", agreement_version: AGREEMENT });
  });

  it("takes the capture as a data: URL too", async () => {
    expect((await face(zhang, { capture: `data:image/jpeg;base64,${CAPTURE}` })).status).toBe(200);
  });

  it("refuses any other ID type with a clear message, before looking at the face", async () => {
    const r = await face(smith);
    expect(r).toMatchObject({
      status: 400,
      body: {
        code: "FACE_ID_TYPE_NOT_SUPPORTED",
        path: "idType",
        message: "人脸识别认证注册仅支持居民身份证，其他证件请使用大厅注册码注册",
      },
    });
    expect(w.events.ofKind("portrait.checked")).toEqual([]);
  });

  it("refuses a face the verifier does not recognize", async () => {
    const r = await face(li);
    expect(r).toMatchObject({ status: 403, body: { code: "FACE_NOT_MATCHED" } });
    expect(w.events.ofKind("portrait.checked")).toEqual([
      { verifier: "dev", dev: true, idNumber: "1101**********0024", result: "no_match" },
    ]);
  });

  it("refuses an empty, non-JPEG or malformed capture", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).toString("base64");
    for (const capture of [png, "not base64!", "data:image/jpeg;base64,"]) {
      expect((await face(zhang, { capture })).body).toMatchObject({
        code: "FACE_CAPTURE_INVALID",
        path: "capture",
      });
    }
    expect((await face(zhang, { capture: "" })).body).toMatchObject({ code: "BAD_MESSAGE", path: "capture" });
  });

  it("refuses a capture over the size limit", async () => {
    const big = Buffer.alloc(MAX_CAPTURE_BYTES + 4096, 0xff).toString("base64");
    expect((await face(zhang, { capture: big })).status).toBe(413);
  });

  it("refuses without the user agreement", async () => {
    expect((await face(zhang, { agreementVersion: undefined })).body.code).toBe("AGREEMENT_REQUIRED");
  });

  it("refuses a person who already has an account", async () => {
    await w.register(zhang, { loginName: "zhangsan", phone: "13812345678" });
    expect((await face(zhang)).body).toMatchObject({ code: "ID_ALREADY_REGISTERED" });
  });

  it("answers UNAVAILABLE when no portrait service is configured, or it fails", async () => {
    const none = makeWorld(store.db, { adapters: false });
    const r = await none.post("/api/register/face", {
      agreementVersion: AGREEMENT,
      ...zhang,
      capture: CAPTURE,
    });
    expect(r).toMatchObject({ status: 503, body: { code: "UNAVAILABLE", retryable: true } });
    w.deps.portrait = { name: "down", verify: () => Promise.reject(new Error("timeout")) };
    expect((await face(zhang)).body.code).toBe("UNAVAILABLE");
  });

  it("says loudly, in the log and the event stream, that it is the development verifier", () => {
    expect(w.logs.some((l) => l.includes("DEVELOPMENT portrait verifier"))).toBe(true);
    expect(w.events.ofKind("portrait.dev_verifier")).toEqual([{ dev: true, testIdentities: 2 }]);
  });
});
