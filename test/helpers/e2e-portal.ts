// Shared steps of the browser tests (test/e2e): filling the report form the way a person does,
// reading the receipt, tracking a case (signing staff in: sign-in.ts).
import type { Page } from "playwright-core";
import { TRACKING_CODE } from "./html";

/** A tracking code as the receipt shows it. */
export const CODE_RE = TRACKING_CODE;

export interface ReportInput {
  type?: string;
  realName: boolean;
  reporter?: { name: string; idNumber: string; phone: string; address?: string; email?: string };
  subject: { name: string; unit: string; position?: string; managementLevel: string };
  /** A county's code (a city's when `city` is not given, e.g. 430100). */
  divisionCode: string;
  /** The city of the county, for the two selects the script makes of the division list. */
  city?: string;
  category: string;
  title: string;
  body: string;
}

/** Picks a value whether the form offers it as radio buttons or as a (visible) select. */
export async function choose(page: Page, name: string, value: string): Promise<void> {
  const radio = page.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
  if ((await radio.count()) > 0) await radio.check();
  else await page.selectOption(`select[name="${name}"]`, value);
}

/**
 * Fills the report form. With JavaScript on, the division list has become two selects (city,
 * then county) and the original one is hidden: pick in them as a person would.
 */
export async function fillReport(page: Page, r: ReportInput): Promise<void> {
  await choose(page, "type", r.type ?? "accusation");
  await choose(page, "realName", String(r.realName));
  if (r.reporter) {
    await page.fill('input[name="reporter.name"]', r.reporter.name);
    await page.fill('input[name="reporter.idNumber"]', r.reporter.idNumber);
    await page.fill('input[name="reporter.phone"]', r.reporter.phone);
    if (r.reporter.address !== undefined)
      await page.fill('input[name="reporter.address"]', r.reporter.address);
    if (r.reporter.email !== undefined) await page.fill('input[name="reporter.email"]', r.reporter.email);
  }
  await page.fill('input[name="subject.name"]', r.subject.name);
  await page.fill('input[name="subject.unit"]', r.subject.unit);
  if (r.subject.position !== undefined) await page.fill('input[name="subject.position"]', r.subject.position);
  await choose(page, "subject.managementLevel", r.subject.managementLevel);
  const county = page.locator("#f-divisionCode-county");
  if ((await county.count()) > 0) {
    // The enhanced picker: the city select took over the original id.
    await page.selectOption("#f-divisionCode", r.city ?? r.divisionCode);
    if (r.city) await county.selectOption(r.divisionCode);
  } else {
    await page.selectOption('select[name="divisionCode"]', r.divisionCode);
  }
  await page.selectOption('select[name="category"]', r.category);
  await page.fill('input[name="title"]', r.title);
  await page.fill('textarea[name="body"]', r.body);
}

/** Submits the form the page shows and waits for the answer page. */
export async function submitAndWait(
  page: Page,
  button = 'form[data-report-form] button[type="submit"]',
): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: 60_000 }), page.click(button)]);
}

/** The tracking code on the receipt the page shows (fails with the page's text when there is none). */
export async function receiptCode(page: Page): Promise<string> {
  const text = await page.locator("body").innerText();
  const m = text.match(CODE_RE);
  if (!m) throw new Error(`no tracking code on the page:\n${text.slice(0, 800)}`);
  return m[0];
}

/** Opens /track (or /en/track), types the code and shows the case. */
export async function openTrackedCase(page: Page, origin: string, code: string, lang: "zh" | "en" = "zh") {
  await page.goto(`${origin}${lang === "en" ? "/en" : ""}/track`);
  await page.fill('input[name="trackingCode"]', code);
  await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.click('form:has(input[name="intent"][value="lookup"]) button[type="submit"]'),
  ]);
}
