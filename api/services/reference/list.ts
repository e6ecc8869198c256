import { categoryLabel } from "../../../messages/labels";
import type { Deps } from "../../context";
import { CATEGORY_CODES } from "../../domain/categories";

export function listDivisions(deps: Pick<Deps, "offices">) {
  return deps.offices.divisions.map((d) => ({
    code: d.code,
    name: d.name,
    level: d.level,
    parent: d.parent,
  }));
}

export function listCategories(lang: "zh" | "en" = "zh") {
  return CATEGORY_CODES.map((code) => ({ code, label: categoryLabel(code, lang) }));
}
