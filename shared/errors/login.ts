// seed 1.1 — account + password login to the client (and the phone app's own login).
export const LOGIN_ERRORS = {
  ACCOUNT_OR_PASSWORD_WRONG: "账号或密码错误",
  CAPTCHA_REQUIRED: "请输入验证码",
  CAPTCHA_WRONG: "验证码错误，请重新输入",
  CAPTCHA_EXPIRED: "验证码已失效，请点击图片刷新",
  // seed 1.1: "密码错误超过5次（含）后会被锁定，可以在120分钟之后再试，也可以通过【忘记密码】功能解锁账号"
  ACCOUNT_LOCKED: "密码错误超过5次（含），账号已被锁定，请在120分钟后再试，或通过【忘记密码】解锁账号",
  // seed 1.1: other ID types "请使用登录名或手机号码登录"
  ID_NUMBER_LOGIN_NOT_ALLOWED: "该证件类型请使用登录名或手机号码登录",
} as const;
