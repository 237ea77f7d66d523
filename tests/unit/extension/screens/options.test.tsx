// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Options } from "../../../../extension/components/Options";

afterEach(cleanup);

const field = () => screen.getByLabelText("服务地址") as HTMLInputElement;

describe("the options page", () => {
  it("shows the saved hub and the socket it leads to", () => {
    render(<Options initial="http://127.0.0.1:8080" save={vi.fn()} />);
    expect(field().value).toBe("http://127.0.0.1:8080");
    expect(screen.getByText("连接地址：ws://127.0.0.1:8080/ws")).toBeTruthy();
  });

  it("saves a valid address, tidied", async () => {
    const save = vi.fn(async () => {});
    render(<Options initial="http://127.0.0.1:8080" save={save} />);
    fireEvent.input(field(), { target: { value: " https://hub.example.cn/ " } });
    expect(screen.getByText("连接地址：wss://hub.example.cn/ws")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "保存" }));
    await waitFor(() => expect(screen.getByText("已保存")).toBeTruthy());
    expect(save).toHaveBeenCalledWith("https://hub.example.cn");
    expect(field().value).toBe("https://hub.example.cn");
  });

  it("refuses an address that is not http(s), and saves nothing", () => {
    const save = vi.fn(async () => {});
    render(<Options initial="http://127.0.0.1:8080" save={save} />);
    fireEvent.input(field(), { target: { value: "ftp://hub" } });
    fireEvent.click(screen.getByRole("button", { name: "保存" }));
    expect(screen.getByRole("alert").textContent).toBe("服务地址只支持 http:// 或 https://");
    expect(save).not.toHaveBeenCalled();
  });

  it("puts the default back", () => {
    render(<Options initial="https://elsewhere.cn" save={vi.fn()} />);
    fireEvent.click(screen.getByRole("button", { name: "恢复默认" }));
    expect(field().value).toBe("http://127.0.0.1:8080");
  });
});
