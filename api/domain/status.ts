/** Reporter-facing statuses (DESIGN.md) and the words shown for them. */
export const PUBLIC_STATUSES = ["received", "accepted", "not_accepted", "in_progress", "concluded"] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export const STATUS_LABELS: Record<PublicStatus, { zh: string; en: string }> = {
  received: { zh: "已接收", en: "Received" },
  accepted: { zh: "已受理", en: "Accepted" },
  not_accepted: { zh: "不予受理", en: "Not accepted" },
  in_progress: { zh: "办理中", en: "In progress" },
  concluded: { zh: "已办结", en: "Concluded" },
};

/** Labels of the case events a reporter may see on /track (events with is_public). */
export const PUBLIC_EVENT_LABELS: Record<string, { zh: string; en: string }> = {
  received: { zh: "举报已接收", en: "Report received" },
  registered: { zh: "已受理", en: "Accepted" },
  declined: { zh: "不予受理", en: "Not accepted" },
  forwarded: { zh: "已转有关机关办理", en: "Forwarded to the competent office" },
  assigned: { zh: "已交有关机关办理", en: "Assigned to the competent office" },
  escalated: { zh: "已报上级机关办理", en: "Referred to a higher office" },
  in_progress: { zh: "正在办理", en: "Being handled" },
  concluded: { zh: "已办结", en: "Concluded" },
  message: { zh: "办理机关留言", en: "Message from the office" },
  reporter_message: { zh: "举报人补充材料", en: "Reporter added information" },
};

export function eventLabel(kind: string, lang: "zh" | "en" = "zh"): string {
  return PUBLIC_EVENT_LABELS[kind]?.[lang] ?? kind;
}
