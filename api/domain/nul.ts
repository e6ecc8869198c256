// PostgreSQL refuses U+0000 in text columns: input carrying one is refused field by field (422)
// before it reaches the database, never answered with a 500.

/** Paths of every string (values and keys) holding U+0000, at any depth up to 32 levels. */
export function nulPaths(value: unknown, prefix = "", depth = 0): string[] {
  if (typeof value === "string") return value.includes("\u0000") ? [prefix || "(body)"] : [];
  if (!value || typeof value !== "object" || depth > 32) return [];
  const out: string[] = [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    const path = prefix ? `${prefix}.${k.replaceAll("\u0000", "")}` : k.replaceAll("\u0000", "");
    if (k.includes("\u0000")) out.push(path || "(body)");
    else out.push(...nulPaths(v, path, depth + 1));
  }
  return out;
}

/**
 * Whether any string (value or key) holds a lone UTF-16 surrogate ("\ud800" written as a JSON
 * escape). Such text is not I-JSON (RFC 7493): it has no RFC 8785 form, so it could never be
 * hashed into a chain, and PostgreSQL would store U+FFFD instead. Iterative: no depth limit.
 */
export function hasLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (!v.isWellFormed()) return true;
    } else if (v && typeof v === "object") {
      if (Array.isArray(v)) stack.push(...v);
      else
        for (const [k, child] of Object.entries(v)) {
          if (!k.isWellFormed()) return true;
          stack.push(child);
        }
    }
  }
  return false;
}
