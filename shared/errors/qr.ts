// seed 1.2 — QR login: tickets, scans, confirmations.
export const QR_ERRORS = {
  TICKET_NOT_FOUND: "二维码不存在或已失效，请刷新",
  TICKET_EXPIRED: "二维码已失效，请刷新",
  TICKET_USED: "二维码已使用，请刷新",
  TICKET_SECRET_WRONG: "二维码校验失败",
  TICKET_ALREADY_SCANNED: "该二维码已被其他设备扫描",
  TICKET_CANCELLED: "二维码登录已取消，请在客户端刷新二维码",
  /** The QR changes every 30 s while it waits: this content was an earlier one (a photo, a forwarded link). */
  TICKET_ROTATED: "二维码已更新，请重新扫描扣缴客户端上显示的二维码",
  GRANT_INVALID: "登录凭证无效或已使用",
  TOO_MANY_TICKETS: "二维码刷新过于频繁，请稍后再试",
  PHONE_LOGIN_REQUIRED: "请先在个人所得税APP登录后再扫码",
} as const;
