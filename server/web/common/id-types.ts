// ID types a person may register with (seed 2: 证件类型). Face registration takes the first only.
// The registration rules (shared/rules, another branch) own the validation; this is the list to show.
export const ID_TYPES = [
  "居民身份证",
  "中国护照",
  "港澳居民来往内地通行证",
  "港澳居民居住证",
  "台湾居民来往大陆通行证",
  "台湾居民居住证",
  "外国护照",
  "外国人永久居留身份证",
] as const;

export type IdType = (typeof ID_TYPES)[number];

/** 国籍（地区）choices in the app's hall-code registration; 居民身份证 implies 中国. */
export const NATIONALITIES = ["中国", "中国香港", "中国澳门", "中国台湾", "其他国家或地区"] as const;
