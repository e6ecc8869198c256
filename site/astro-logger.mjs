// Astro's log destination (astro.config.mjs `logger`). Astro prints an error's message and
// stack when a page fails; a database error's message carries the query's parameters, which
// are report content. This destination drops any "params:" line and caps every message, and
// writes JSON lines like the app's pino logger.
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 90 };
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export function scrubMessage(message) {
  return String(message ?? "")
    .replace(SGR, "")
    .split("\n")
    .filter((line) => !/^\s*params:/i.test(line))
    .join("\n")
    .replace(/("[^"\n]{0,200}" is not valid JSON)/g, "(input) is not valid JSON")
    .slice(0, 2000);
}

export default function destination(config = {}) {
  const min = LEVELS[config.level ?? "info"] ?? 20;
  return {
    write(event) {
      if ((LEVELS[event.level] ?? 20) < min) return;
      const msg = scrubMessage(event.message);
      const line = process.stdout.isTTY
        ? `${event.label ? `[${event.label}] ` : ""}${msg}`
        : JSON.stringify({ app: "qingfeng", src: "astro", level: event.level, label: event.label, msg });
      if ((LEVELS[event.level] ?? 20) >= LEVELS.error) console.error(line);
      else console.info(line);
    },
  };
}
