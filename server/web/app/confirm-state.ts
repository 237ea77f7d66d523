import { ERRORS } from "../../../shared/errors";
import type { PhoneTicketView } from "../../../shared/protocol/qr";

// What the confirm screen says about a ticket that can no longer be confirmed, by the hub's code.
// seed 1.2: "若二维码已过期的则需刷新重新生成" — the person is told to refresh it on the client.

export interface Ended {
  title: string;
  message: string;
}

const ENDED: Record<string, Ended> = {
  TICKET_EXPIRED: { title: "二维码已失效", message: "请在扣缴客户端刷新二维码后重新扫描" },
  // A ticket past its TTL is soon gone from the store: to the person it is the same expired QR.
  TICKET_NOT_FOUND: { title: "二维码已失效", message: "请在扣缴客户端刷新二维码后重新扫描" },
  TICKET_USED: {
    title: "二维码已使用",
    message: "该二维码已完成登录；如需再次登录，请在扣缴客户端刷新二维码",
  },
  TICKET_CANCELLED: { title: "二维码登录已取消", message: ERRORS.TICKET_CANCELLED },
  TICKET_ALREADY_SCANNED: { title: "二维码已被扫描", message: ERRORS.TICKET_ALREADY_SCANNED },
  // A photo of the screen or a forwarded link from an earlier period of the rotating QR.
  TICKET_ROTATED: {
    title: "二维码已更新",
    message: "电脑上的二维码每30秒更新一次，请用「扫一扫」重新扫描扣缴客户端上正在显示的二维码",
  },
};

// 扫一扫 leaves a mark for the ticket it read, in this tab only; the confirm page takes it. A page
// opened any other way (a link in a chat, another app) has no mark and asks before anything is sent.
const SCANNED_MARK = "shiming.app.scanned";

export function markScanned(ticketId: string): void {
  try {
    sessionStorage.setItem(SCANNED_MARK, ticketId);
  } catch {
    // storage refused: the confirm page then simply asks first
  }
}

/** True once, for the ticket 扫一扫 just read in this tab. */
export function takeScanned(ticketId: string): boolean {
  try {
    const marked = sessionStorage.getItem(SCANNED_MARK) === ticketId;
    if (marked) sessionStorage.removeItem(SCANNED_MARK);
    return marked;
  } catch {
    return false;
  }
}

/** The end screen for a refusal, or null when the refusal is passing (network, rate limit): try again. */
export function endedBy(code: string): Ended | null {
  return ENDED[code] ?? null;
}

/** A ticket the hub showed in a state this phone cannot act on, as the code the hub would refuse with. */
export function stateCode(view: PhoneTicketView): string | null {
  if (view.state === "scanned" && view.yours) return null;
  switch (view.state) {
    case "expired":
      return "TICKET_EXPIRED";
    case "cancelled":
      return "TICKET_CANCELLED";
    case "confirmed":
      return "TICKET_USED";
    default:
      return "TICKET_ALREADY_SCANNED"; // scanned by another phone (waiting never follows a scan)
  }
}
