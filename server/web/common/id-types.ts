import { ID_TYPES, type IdType } from "../../../shared/rules/id-types";
import { NATIONALITIES, type Nationality } from "../../../shared/rules/nationality";

// The choices the identity forms offer, from the shared rules (the hub checks the same lists).

export { ID_TYPES, type IdType, type Nationality };

export const ID_TYPE_OPTIONS = ID_TYPES.map((t) => [t, t] as const);

/** 国籍（地区） as [ISO alpha-3 code, name]; the form sends the code. */
export const NATIONALITY_OPTIONS: readonly (readonly [Nationality | "", string])[] = [
  ["", "请选择国籍（地区）"],
  ...(Object.entries(NATIONALITIES) as [Nationality, string][]),
];

/**
 * The nationality an ID type implies, if it does: a 居民身份证 holder is Chinese (the field is then fixed),
 * a Chinese passport holder usually is, a Hong Kong/Macao permit is one of the two, a Taiwan one is TWN.
 */
export function impliedNationality(t: IdType): { code: Nationality | ""; fixed: boolean } {
  switch (t) {
    case "居民身份证":
      return { code: "CHN", fixed: true };
    case "中国护照":
      return { code: "CHN", fixed: false };
    case "台湾居民来往大陆通行证":
    case "台湾居民居住证":
      return { code: "TWN", fixed: false };
    case "港澳居民来往内地通行证":
    case "港澳居民居住证":
      return { code: "HKG", fixed: false };
    default:
      return { code: "", fixed: false };
  }
}
