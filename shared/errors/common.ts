// Errors any step of the socket or the HTTP API can answer.
export const COMMON_ERRORS = {
  BAD_MESSAGE: "请求格式有误",
  UNKNOWN_MESSAGE: "不支持的请求类型",
  HELLO_REQUIRED: "连接尚未初始化，请刷新后重试",
  VERSION_UNSUPPORTED: "客户端版本过低，请升级后再试",
  WRONG_STEP: "当前步骤不能进行此操作",
  FRAME_TOO_LARGE: "请求内容过大",
  RATE_LIMITED: "操作过于频繁，请稍后再试",
  ORIGIN_NOT_ALLOWED: "来源不被允许",
  NOT_LOGGED_IN: "请先登录",
  SESSION_EXPIRED: "登录已过期，请重新登录",
  UNAVAILABLE: "服务暂时不可用，请稍后再试",
  INTERNAL: "系统繁忙，请稍后再试",
} as const;
