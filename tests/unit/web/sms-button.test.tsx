// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SmsButton } from "../../../server/web/common/sms";

beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] }));
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const button = () => screen.getByRole("button") as HTMLButtonElement;

async function flush() {
  await act(async () => {
    await Promise.resolve();
  });
}

describe("the SMS code button", () => {
  it("counts the resend interval down once a code went out, then offers 重新获取", async () => {
    render(<SmsButton send={async () => 60} />);
    expect(button().textContent).toBe("获取验证码");
    fireEvent.click(button());
    await flush();
    expect(button().textContent).toBe("60秒后重新获取");
    expect(button().disabled).toBe(true);
    await act(async () => {
      vi.advanceTimersByTime(1000);
    });
    expect(button().textContent).toBe("59秒后重新获取");
    for (let i = 0; i < 59; i++)
      await act(async () => {
        vi.advanceTimersByTime(1000);
      });
    expect(button().textContent).toBe("重新获取");
    expect(button().disabled).toBe(false);
  });

  it("stays ready when sending failed", async () => {
    render(<SmsButton send={async () => null} />);
    fireEvent.click(button());
    await flush();
    expect(button().textContent).toBe("获取验证码");
    expect(button().disabled).toBe(false);
  });

  it("starts counting at once when the step before sent the code", async () => {
    render(<SmsButton send={async () => 60} startWith={42} />);
    await flush();
    expect(button().textContent).toBe("42秒后重新获取");
  });
});
