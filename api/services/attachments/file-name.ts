const MAX_STEM = 100;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A name safe to show staff and to offer as a download: no path parts, no control or format
 * characters (which covers bidi overrides like U+202E that make "gpj.exe" read as "exe.jpg",
 * and zero-width characters), no characters Windows refuses, at most 100 characters before the
 * extension — and the extension is the one of the detected type, whatever the name claimed.
 */
export function cleanFileName(name: string, ext: string, fallback = "attachment"): string {
  let s = String(name ?? "").normalize("NFC");
  s = s.split(/[/\\]/).pop() ?? "";
  s = s.replace(/\p{C}/gu, "");
  s = s.replace(/[<>:"|?*]/g, "_");
  s = s.replace(/\s+/g, " ").trim();
  // Drop the claimed extension: the detected one replaces it.
  const dot = s.lastIndexOf(".");
  if (dot > 0 && /^[\p{L}\p{N}]{1,10}$/u.test(s.slice(dot + 1))) s = s.slice(0, dot);
  s = s.replace(/^[.\s]+|[.\s]+$/g, "");
  s = Array.from(s).slice(0, MAX_STEM).join("").trim();
  if (!s) s = fallback;
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  return `${s}.${ext}`;
}
