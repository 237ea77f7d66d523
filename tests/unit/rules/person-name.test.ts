import { describe, expect, it } from "vitest";
import { checkNationality, checkPersonName, NAME_MAX, nationalityName } from "../../../shared/rules";
import { accepts, refuses } from "./tables";

describe("checkPersonName", () => {
  accepts(checkPersonName, [
    ["张三", "张三"],
    ["欧阳娜娜", "欧阳娜娜"],
    [" 李四 ", "李四"],
    ["张 三", "张三"], // an ID never prints a space between Chinese characters
    ["王𪚥", "王𪚥"], // U+2A6A5 (extension B), a 生僻字
    ["𠀀", "𠀀"], // U+20000 (extension B), one character is a name
    ["李𰻞", "李𰻞"], // U+30EDE biáng (extension G)
    ["陈䶮", "陈䶮"], // U+4DAE yǎn (extension A), as in 刘䶮
    ["赵〇", "赵〇"], // U+3007
    ["阿依古丽·买买提", "阿依古丽·买买提"], // U+00B7
    ["阿依古丽•买买提", "阿依古丽·买买提"], // U+2022 bullet
    ["阿依古丽・买买提", "阿依古丽·买买提"], // U+30FB katakana middle dot
    ["阿依古丽．买买提", "阿依古丽·买买提"], // U+FF0E full-width full stop
    ["阿依古丽‧买买提", "阿依古丽·买买提"], // U+2027 hyphenation point
    ["阿依古丽 · 买买提", "阿依古丽·买买提"],
    ["克里斯蒂亚诺·罗纳尔多·多斯·桑托斯·阿韦罗", "克里斯蒂亚诺·罗纳尔多·多斯·桑托斯·阿韦罗"],
    ["John Smith", "John Smith"],
    ["John   Smith", "John Smith"],
    ["Mary-Jane O'Neil", "Mary-Jane O'Neil"],
    ["Seán O’Brien", "Seán O'Brien"],
    ["José Martínez", "José Martínez"],
    ["Jose\u0301", "José"], // decomposed é, composed by NFC
    ["Nguyễn Văn An", "Nguyễn Văn An"],
    ["J. R. R. Tolkien", "J. R. R. Tolkien"],
    ["Martin Luther King Jr.", "Martin Luther King Jr."],
    ["ＣＨＡＮ Ｔａｉ Ｍａｎ", "CHAN Tai Man"],
    ["张".repeat(NAME_MAX), "张".repeat(NAME_MAX)],
    ["𠀀".repeat(NAME_MAX), "𠀀".repeat(NAME_MAX)],
  ]);

  refuses(checkPersonName, "NAME_INVALID", [
    "",
    "   ",
    "·",
    "·张三",
    "张三·",
    "阿依古丽··买买提",
    "阿依古丽·•买买提",
    "-Smith",
    "Smith-",
    "'Smith",
    "Smith--Jones",
    "O''Neil",
    ". Smith",
    "张三1",
    "张三😀",
    "张三!",
    "张三_",
    "⺀三", // a CJK radical
    "a\u0000b",
    "张\u0007三",
    "张\u200B三", // zero-width space
    "张\u202E三", // right-to-left override
    "\uD800张",
    "张\uDFFF",
    "Иван", // Cyrillic: a foreign name is written in Latin letters or Chinese characters
    "张".repeat(NAME_MAX + 1),
    "a".repeat(NAME_MAX + 1),
  ]);
});

describe("checkNationality", () => {
  accepts(checkNationality, [
    ["CHN", "CHN"],
    ["chn", "CHN"],
    [" usa ", "USA"],
    ["HKG", "HKG"],
    ["TWN", "TWN"],
  ]);

  refuses(checkNationality, "NATIONALITY_INVALID", [
    ...["", "CN", "CHINA", "XXX", "CH N"],
    ...["__proto__", "constructor", "toString", "hasOwnProperty"], // no lookup falls through to Object's
  ]);

  it("names a nationality in Chinese", () => {
    expect(nationalityName("CHN")).toBe("中国");
    expect(nationalityName("HKG")).toBe("中国香港");
  });
});
