// The phone app / portal API (办税权限: authorizations, 重置申报密码) and its sessions.
export const APP_ERRORS = {
  // seed: "企业法人代表可以授权给办税人员" — only the legal representative grants or revokes.
  NOT_LEGAL_REP: "只有税务登记的法定代表人可以进行办税授权",
  HANDLER_NOT_FOUND: "未找到该办税人员，请核对姓名、证件类型和证件号码（办税人员须先完成实名注册）",
  AUTHORIZATION_EXISTS: "该办税人员已获得本单位的办税授权",
  AUTHORIZATION_NOT_FOUND: "该授权不存在或已撤销",
  DECLARATION_PASSWORD_MISMATCH: "两次输入的申报密码不一致",
} as const;
