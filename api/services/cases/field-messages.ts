import { FIELD_MESSAGES } from "../../../messages/errors";
import { STAFF_WORK } from "../../../site/i18n/staff";

function lookup(code: string): { zh: string; en: string } {
  return STAFF_WORK.fieldErrors[code] ?? FIELD_MESSAGES[code] ?? FIELD_MESSAGES.invalid_type;
}

/** The message for a field error code of the staff workflow, zh-CN then en (API answers). */
export function workflowFieldMessage(code: string): string {
  const m = lookup(code);
  return `${m.zh} ${m.en}`;
}

/** The zh-CN message alone, for the console's forms. */
export function workflowFieldMessageZh(code: string): string {
  return lookup(code).zh;
}
