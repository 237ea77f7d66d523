// @vitest-environment happy-dom
import { fireEvent, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CANCELLED_SHOWN_MS } from "../../../../extension/components/LoginScreen";
import type { ClientView } from "../../../../extension/core/view";
import { HUB, show, view } from "./fixtures";

const URL_ = `${HUB}/app/qr/AAAAAAAAAAAAAAAAAAAAAA`;
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const qrView = (qr: ClientView["qr"]) => view({ mode: "qr", qr });
const code = (label: string) => screen.getByRole("img", { name: label });

describe("扫码登录", () => {
  it("draws the ticket's URL as a QR, with the app's words and a countdown", () => {
    show(qrView({ state: "waiting", url: URL_, expiresAt: inSeconds(90) }));
    expect(screen.getByText("请使用个人所得税APP扫一扫登录")).toBeTruthy();
    expect(code("登录二维码").getAttribute("data-qr")).toBe(URL_);
    expect(code("登录二维码").querySelector("path")?.getAttribute("d")).toMatch(/^M\d+ \d+h1v1h-1z/);
    expect(screen.getByText(/二维码将在(89|90)秒后失效/)).toBeTruthy();
    expect(screen.queryByText("二维码已失效")).toBeNull();
  });

  it("redraws a rotated QR in the same image, with the same countdown", () => {
    const expiresAt = inSeconds(90);
    const { update } = show(qrView({ state: "waiting", url: URL_, expiresAt }));
    const before = code("登录二维码");
    const path = before.querySelector("path")?.getAttribute("d");
    update(qrView({ state: "waiting", url: `${URL_}?s=Ab3_-xYz012`, expiresAt }));
    const after = code("登录二维码");
    expect(after).toBe(before); // the same element: nothing is taken away and put back
    expect(after.getAttribute("data-qr")).toBe(`${URL_}?s=Ab3_-xYz012`);
    expect(after.querySelector("path")?.getAttribute("d")).not.toBe(path);
    expect(screen.getByText(/二维码将在(89|90)秒后失效/)).toBeTruthy();
    expect(screen.queryByText("正在生成二维码…")).toBeNull();
  });

  it("greys out an expired QR with 二维码已失效 and 刷新", () => {
    const { act } = show(qrView({ state: "expired", url: URL_, expiresAt: inSeconds(-1) }));
    expect(screen.getByText("二维码已失效")).toBeTruthy();
    expect(document.querySelector(".qr-box.expired")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "刷新" }));
    expect(act).toHaveBeenCalledWith({ type: "qr.refresh" });
  });

  it("greys out on the local clock before the hub's push arrives", () => {
    show(qrView({ state: "waiting", url: URL_, expiresAt: inSeconds(-2) }));
    expect(screen.getByText("二维码已失效")).toBeTruthy();
  });

  it("shows 扫描成功，请在手机上确认 with the masked name once scanned", () => {
    show(qrView({ state: "scanned", url: URL_, expiresAt: inSeconds(60), maskedName: "*三" }));
    expect(screen.getByText("扫描成功，请在手机上确认")).toBeTruthy();
    expect(screen.getByText("*三")).toBeTruthy();
    expect(screen.queryByText(/秒后失效/)).toBeNull();
  });

  it("says it is logging in once the phone confirmed", () => {
    show(qrView({ state: "confirmed", url: URL_, expiresAt: inSeconds(60), maskedName: "*三" }));
    expect(screen.getByText("已确认，正在登录…")).toBeTruthy();
  });

  describe("cancelled on the phone", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("says 已在手机上取消登录 over the old QR first, then asks for a fresh one by itself", () => {
      vi.useFakeTimers();
      const { act } = show(qrView({ state: "cancelled", url: URL_, expiresAt: inSeconds(60) }));
      expect(screen.getByText("已在手机上取消登录")).toBeTruthy();
      expect(document.querySelector(".qr-box.expired")).toBeTruthy();
      expect(screen.queryByText(/秒后失效/)).toBeNull();
      vi.advanceTimersByTime(CANCELLED_SHOWN_MS - 100);
      expect(act).not.toHaveBeenCalled();
      vi.advanceTimersByTime(200);
      expect(act).toHaveBeenCalledExactlyOnceWith({ type: "qr.refresh" });
    });

    it("offers 刷新二维码 at once", () => {
      const { act } = show(qrView({ state: "cancelled", url: URL_, expiresAt: inSeconds(60) }));
      fireEvent.click(screen.getByRole("button", { name: "刷新二维码" }));
      expect(act).toHaveBeenCalledWith({ type: "qr.refresh" });
    });
  });

  it("waits for a ticket with a placeholder", () => {
    show(qrView({ state: "none" }));
    expect(screen.getByText("正在生成二维码…")).toBeTruthy();
  });

  it("shows the hub's error under the QR", () => {
    show(qrView({ state: "expired", error: "二维码刷新过于频繁，请稍后再试" }));
    expect(screen.getByRole("alert").textContent).toBe("二维码刷新过于频繁，请稍后再试");
  });

  it("shows the phone download QR behind 手机端下载, and comes back", () => {
    show(qrView({ state: "waiting", url: URL_, expiresAt: inSeconds(60) }));
    fireEvent.click(screen.getByRole("button", { name: "手机端下载" }));
    expect(code("手机端下载二维码").getAttribute("data-qr")).toBe(`${HUB}/app/download`);
    fireEvent.click(screen.getByRole("button", { name: "返回扫码登录" }));
    expect(code("登录二维码")).toBeTruthy();
  });

  it("switches back to the password from the corner", () => {
    const { act } = show(qrView({ state: "waiting", url: URL_, expiresAt: inSeconds(60) }));
    expect(screen.getByText("扫码登录", { selector: ".sub" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "切换到账号密码登录" }));
    expect(act).toHaveBeenCalledWith({ type: "mode", mode: "password" });
  });
});
