import type { OfficeDirectory } from "../../../api/domain/divisions";
import { DISPOSITIONS } from "../../../api/domain/workflow";
import {
  dispositionLabel,
  feedbackMethodLabel,
  findingLabel,
  reporterViewLabel,
  SUPERVISION_METHOD_LABELS,
  stageLabel,
} from "../../../messages/labels";
import { STAFF_WORK } from "../../i18n/staff";

const OFFICE_KEYS = new Set([
  "from",
  "to",
  "routedTo",
  "byOffice",
  "byAuthority",
  "appealOffice",
  "intoOffice",
  "repeatOfOffice",
  "fromOffice",
  "of",
]);
// Case ids (shown by their numbers instead), and serials when the number is there.
const ID_KEYS = new Set(["into", "repeatOf", "repeat"]);
const SERIAL_OF: Record<string, string> = {
  intoSerial: "intoNumber",
  repeatOfSerial: "repeatOfNumber",
  repeatSerial: "repeatNumber",
};
/** Coded values of an event's data, by key, and their labels. */
const CODED: Record<string, (code: string) => string> = {
  finding: findingLabel,
  method: feedbackMethodLabel,
  view: reporterViewLabel,
};
const STAGE_KEYS = new Set(["fromStage", "toStage"]);

/** The data of a trail event as label/value lines for staff (office codes named, codes translated). */
export function eventDetails(data: Record<string, unknown>, offices: OfficeDirectory): [string, string][] {
  const labels = STAFF_WORK.case.dataLabels;
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(data)) {
    if (v === null || v === undefined || v === "" || ID_KEYS.has(k)) continue;
    // A merge names the case kept by its 信访件编号 (intoNumber) once there is one; so do 留存备查.
    if (Object.hasOwn(SERIAL_OF, k) && typeof data[SERIAL_OF[k]] === "string") continue;
    let text =
      typeof v === "string" || typeof v === "number" || typeof v === "boolean"
        ? String(v)
        : JSON.stringify(v);
    if (OFFICE_KEYS.has(k)) text = offices.get(text)?.name ?? text;
    else if (STAGE_KEYS.has(k)) text = stageLabel(text);
    else if (
      k === "disposition" ||
      (k === "previous" && (DISPOSITIONS as readonly string[]).includes(text))
    ) {
      text = dispositionLabel(text);
    } else if (k === "managementLevel") text = STAFF_WORK.case.subjectLevels[text] ?? text;
    else if (k === "oneLevelUp") text = STAFF_WORK.case.oneLevelUpReasons[text] ?? text;
    else if (k === "objection") text = v === true ? STAFF_WORK.case.yes : text;
    else if (v === true) text = STAFF_WORK.case.yes;
    else if (Object.hasOwn(SERIAL_OF, k)) text = `第 ${text} 号`;
    else if (k === "similarity" && typeof v === "number") text = `${Math.round(v * 100)}%`;
    else if (k === "method" && "byOffice" in data && Object.hasOwn(SUPERVISION_METHOD_LABELS, text)) {
      text = SUPERVISION_METHOD_LABELS[text as keyof typeof SUPERVISION_METHOD_LABELS].zh;
    } else if (k === "withinOffice") text = v === true ? "是" : "否";
    else if (CODED[k]) text = CODED[k](text);
    // `method` is a 督办's (with byOffice) or a 反馈's.
    const key = k === "method" && !("byOffice" in data) ? "feedback.method" : k;
    out.push([labels[key] ?? k, text]);
  }
  return out;
}
