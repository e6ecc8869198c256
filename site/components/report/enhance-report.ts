import { enhanceDivisionPicker } from "./division-picker";
import { enhanceRealNameToggle } from "./real-name-toggle";
import { enhanceTypeSections } from "./type-sections";
import { enhanceUpload } from "./upload-progress";

/**
 * Progressive enhancement of the report form; everything here is optional. It runs once per
 * form: the upload replaces the page with the server's answer and calls it again for the new
 * form (upload-progress.ts), and the mark keeps a browser that also re-ran the page's module
 * from enhancing the same form twice.
 */
export function enhanceReportForm(): void {
  const form = document.querySelector<HTMLFormElement>("form[data-report-form]");
  if (!form || form.hasAttribute("data-enhanced")) return;
  form.setAttribute("data-enhanced", "");
  enhanceRealNameToggle(form);
  enhanceTypeSections(form);
  enhanceDivisionPicker(form);
  enhanceUpload(form, { reenhance: enhanceReportForm });
}
