// seed 2 — 实名注册 (hall code / face), SMS codes, password recovery, and the tax hall's own tool.
export const ACCOUNTS_ERRORS = {
  // seed 2.1 ①「同意并继续」, 2.2「阅读并同意用户注册协议」: no consent, no registration.
  AGREEMENT_REQUIRED: "请先阅读并同意用户注册协议",
  AGREEMENT_OUTDATED: "用户注册协议已更新，请重新阅读并同意",
  HALL_CODE_MISMATCH: "注册码错误或与证件信息不符，请核对后重新输入",
  HALL_CODE_IDENTITY_MISMATCH: "姓名或国籍与办税服务厅登记的信息不一致，请如实填写",
  // seed 2: "注册码有效期为7天，若过期可再次申请"
  HALL_CODE_EXPIRED: "注册码已过期（有效期7天），请携带有效身份证件到办税服务厅重新申请",
  HALL_CODE_USED: "该注册码已使用",
  HALL_CODE_VOIDED: "该注册码已作废，请使用办税服务厅最新发放的注册码",
  HALL_CODE_TOO_MANY_TRIES: "注册码输入错误次数过多，已作废，请携带有效身份证件到办税服务厅重新申请",
  // seed 2.2: "人脸识别认证注册仅支持居民身份证，其他证件暂不支持"
  FACE_ID_TYPE_NOT_SUPPORTED: "人脸识别认证注册仅支持居民身份证，其他证件请使用大厅注册码注册",
  FACE_CAPTURE_INVALID: "未获取到有效的人脸照片，请垂直握紧手机重新拍摄",
  FACE_NOT_MATCHED: "人脸识别认证未通过，请重新拍摄或使用大厅注册码注册",
  REGISTRATION_EXPIRED: "注册已超时，请重新验证身份",
  ID_ALREADY_REGISTERED: "该证件已注册，请直接登录或通过【忘记密码】找回",
  LOGIN_NAME_TAKEN: "该登录名已被使用",
  PHONE_TAKEN: "该手机号码已被注册",
  HOUSEHOLD_REGION_REQUIRED: "请选择户籍所在地",
  HOUSEHOLD_REGION_INVALID: "户籍所在地不正确，请重新选择",
  SMS_TOO_SOON: "短信验证码发送过于频繁，请稍后再试",
  SMS_CODE_NOT_SENT: "请先获取短信验证码",
  SMS_CODE_WRONG: "短信验证码错误",
  SMS_CODE_EXPIRED: "短信验证码已失效，请重新获取",
  SMS_CODE_TOO_MANY_TRIES: "短信验证码错误次数过多，请重新获取",
  PERSON_NOT_FOUND: "身份信息有误或该证件尚未注册",
  COMPANY_EXISTS: "该纳税人识别号已登记",
} as const;
