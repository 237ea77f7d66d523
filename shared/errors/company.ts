// seed 1.3 — 单位办税验证: company list, declaration password, authorization, CA.
export const COMPANY_ERRORS = {
  TAX_ID_INVALID: "纳税人识别号格式不正确",
  COMPANY_NOT_FOUND: "未找到该单位，请核对纳税人识别号",
  COMPANY_NOT_LINKED: "您尚未与该单位建立办税关系，请先添加",
  DECLARATION_PASSWORD_FORMAT: "申报密码为8-20位大小写字母和数字，不含空格",
  DECLARATION_PASSWORD_WRONG: "申报密码错误",
  // seed 1.3.1: "申报密码输错超过5次（含）后会被锁定，可以在120分钟之后再试，也可以由税务登记的法定代表人或者财务经理
  // 通过个人所得税APP和WEB渠道，或者前往办税大厅进行重置"
  DECLARATION_LOCKED:
    "申报密码输错超过5次（含），已被锁定，请在120分钟后再试，或由税务登记的法定代表人或财务经理通过个人所得税APP、WEB端或前往办税大厅重置",
  NOT_AUTHORIZED: "您没有该单位的办税授权，请使用申报密码验证",
  AUTHORIZATION_NOT_ACTIVE: "办税授权功能尚未启用",
  // seed: "2020年1月1日后，扣缴客户端将不再支持以CA方式进行登录"
  CA_NOT_OFFERED: "扣缴客户端已不再支持以CA方式登录，请使用申报密码或办税授权",
  CA_INVALID: "CA证书校验失败",
  CA_CHALLENGE_EXPIRED: "CA校验已超时，请重试",
  NOT_LEGAL_REP_OR_FINANCE: "只有税务登记的法定代表人或财务经理可以进行此操作",
  // The real portal's words for a reset without a bound phone.
  PHONE_NOT_BOUND: "您账户的手机号码尚未绑定，请先进入安全中心绑定手机",
} as const;
