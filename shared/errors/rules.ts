// Domain rules (shared/rules): identity documents, taxpayer IDs, login names, passwords, hall codes.
// The seed's own sentences are split so each code names the one rule that failed.
export const RULE_ERRORS = {
  ID_TYPE_INVALID: "请选择正确的证件类型",
  ID_NUMBER_FORMAT: "证件号码格式不正确，请核对",
  ID_NUMBER_CHECKSUM: "证件号码校验位不正确，请核对",
  ID_NUMBER_BIRTH_DATE: "证件号码中的出生日期不正确，请核对",
  ID_NUMBER_REGION: "证件号码中的地区代码不正确，请核对",
  TAX_ID_CHECKSUM: "纳税人识别号校验位不正确，请核对",
  // seed 2.1: "登录名应为2-16位字符，可由大小写字母、数字、中文、下划线构成，不支持纯数字"
  LOGIN_NAME_LENGTH: "登录名应为2-16位字符",
  LOGIN_NAME_CHARS: "登录名可由大小写字母、数字、中文、下划线构成",
  LOGIN_NAME_DIGITS_ONLY: "登录名不支持纯数字",
  // seed 2.1: "密码由8-15位的字母大小写、数字、特殊字符其中三种或以上组成，不允许空格"
  PASSWORD_LENGTH: "密码应为8-15位",
  PASSWORD_WHITESPACE: "密码不允许空格",
  PASSWORD_CLASSES: "密码由8-15位的字母大小写、数字、特殊字符其中三种或以上组成，不允许空格",
  PASSWORD_CHARS: "密码只能由字母大小写、数字、特殊字符组成",
  // seed 2.1: "注册码有效期7天，由6位的数字、字母随机组成"
  HALL_CODE_FORMAT: "注册码由6位的数字、字母组成，请核对",
  MOBILE_INVALID: "请输入正确的手机号码",
  NAME_INVALID: "姓名格式不正确，请按证件上的姓名填写",
  NATIONALITY_INVALID: "请选择正确的国籍（地区）",
} as const;
