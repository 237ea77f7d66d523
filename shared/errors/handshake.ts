// Codes the client handshake needs beyond login.ts and company.ts (CA details).
export const HANDSHAKE_ERRORS = {
  // seed 1.3.1: "本市单位也可通过CA进行校验" — only local companies have a local CA certificate.
  CA_NOT_LOCAL: "该单位不是本市单位，不支持CA方式校验，请使用申报密码",
  CA_TAX_ID_MISMATCH: "CA证书不属于该单位，请核对纳税人识别号",
  CA_CERT_EXPIRED: "CA证书已过期或尚未生效",
} as const;
