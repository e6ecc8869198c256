// Field errors of the person-history search and the person records (党风廉政意见回复, issue 12 §4),
// by code, zh-CN first, en second. The API answers them in both languages; the page shows the Chinese.
import type { Lang, Text } from "./text";

export const PERSON_FIELD_MESSAGES = {
  required: { zh: "此项必填。", en: "This field is required." },
  "text.too_short": { zh: "请至少写 4 个字。", en: "Write at least 4 characters." },
  "requester.too_short": {
    zh: "请写明来函单位（至少两个字），如：省委组织部干部一处。",
    en: "Name the requesting body (two characters at least).",
  },
  "text.too_long": {
    zh: "内容过长：姓名不超过 50 字，单位、来函单位和文号不超过 200 字，用途不超过 500 字。",
    en: "Too long: a name takes at most 50 characters, a unit, requesting body or reference 200, a purpose 500.",
  },
  "name.invalid": {
    zh: "请填写被反映人的姓名（至少两个字）。",
    en: "Give the person's name (two characters at least).",
  },
  "idNumber.invalid": {
    zh: "身份证号应为 18 位且校验正确；不知道可不填。",
    en: "The ID number must have 18 characters with a valid checksum; leave it out if unknown.",
  },
  "caseId.unknown": {
    zh: "没有这件信访件，或它不在您可以关联的范围内。",
    en: "No such case, or not one you may link.",
  },
  invalid_type: { zh: "格式不正确。", en: "Wrong format." },
} as const satisfies Record<string, Text>;

export type PersonFieldCode = keyof typeof PERSON_FIELD_MESSAGES;

/** The Chinese (or English) message of a code read back from an answer; unknown codes: "wrong format". */
export function personFieldMessage(code: string, lang: Lang = "zh"): string {
  return (
    Object.hasOwn(PERSON_FIELD_MESSAGES, code)
      ? PERSON_FIELD_MESSAGES[code as PersonFieldCode]
      : PERSON_FIELD_MESSAGES.invalid_type
  )[lang];
}
