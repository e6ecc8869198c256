import { enhanceDivisionPicker } from "./division-picker";
import { enhanceRealNameToggle } from "./real-name-toggle";

/** Progressive enhancement of the report form; everything here is optional. */
export function enhanceReportForm(): void {
  const form = document.querySelector<HTMLFormElement>("form[data-report-form]");
  if (!form) return;
  enhanceRealNameToggle(form);
  enhanceDivisionPicker(form);
}
