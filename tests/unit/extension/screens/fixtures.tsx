import { cleanup, render } from "@testing-library/preact";
import { afterEach, vi } from "vitest";
import { Popup } from "../../../../extension/components/Popup";
import type { ClientView, CompanyView, GateView } from "../../../../extension/core/view";

// Views as the worker would send them, and the popup rendered with a recording `act` / `openTab`.

export const HUB = "http://127.0.0.1:8080";

export const gate = (over: Partial<GateView> = {}): GateView => ({
  pending: false,
  captchaRequired: false,
  ...over,
});

export const COMPANIES: CompanyView[] = [
  { taxId: "91110108MA01ABCD2X", name: "北京示例科技有限公司", access: "bound", ca: true },
  { taxId: "91310115MA1K4XYZ9P", name: "上海浦东示范贸易有限公司", access: "authorized", ca: false },
  { taxId: "91440300MA5FQWER3L", name: "深圳南山样例服务有限公司", access: "bound", ca: false },
];

export const SESSION: NonNullable<ClientView["session"]> = {
  method: "password",
  handler: { name: "张三", maskedName: "*三", maskedIdNumber: "1101**********4514", idType: "居民身份证" },
  expiresAt: "2025-03-01T16:30:00+08:00",
  idleExpiresAt: "2025-03-01T09:00:00+08:00",
};

export function view(over: Partial<ClientView> = {}): ClientView {
  return {
    hubUrl: HUB,
    link: { status: "connected", away: false },
    hub: { caOffered: false, authorizationActive: true, qrTtlS: 120, clockOffsetMs: 0 },
    stage: "login",
    mode: "password",
    login: gate(),
    qr: { state: "none" },
    pane: "list",
    declaration: gate(),
    add: gate(),
    ...over,
  };
}

export const companyView = (over: Partial<ClientView> = {}) =>
  view({
    stage: "company",
    session: SESSION,
    companies: COMPANIES,
    pane: "list",
    selected: COMPANIES[0]?.taxId,
    ...over,
  });

export function show(v: ClientView) {
  const act = vi.fn();
  const openTab = vi.fn();
  const openOptions = vi.fn();
  const r = render(<Popup view={v} act={act} openTab={openTab} openOptions={openOptions} />);
  return {
    ...r,
    act,
    openTab,
    openOptions,
    update: (next: ClientView) =>
      r.rerender(<Popup view={next} act={act} openTab={openTab} openOptions={openOptions} />),
  };
}

afterEach(cleanup);
