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

/** A short case number for lists: the serial. */
export function caseNumber(serial: number): string {
  return `第 ${serial} 号`;
}
