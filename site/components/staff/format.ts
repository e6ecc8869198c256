// Formatting for the staff console: every time is Beijing time, whatever the server's zone.
const dateTime = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const time = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

export function formatDateTime(iso: string | Date | null | undefined): string {
  if (!iso) return "";
  return dateTime.format(typeof iso === "string" ? new Date(iso) : iso);
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? time.format(new Date(iso)) : "";
}

/**
 * A case as staff name it: its 信访件编号 at the office holding it (长沙〔2026〕第123号); the
 * database serial only for a case that has none there.
 */
export function caseNumber(c: { number: string | null; serial: number }): string {
  return c.number ?? `第 ${c.serial} 号`;
}
