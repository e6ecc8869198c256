/**
 * Shows the blocks that fit the kind of report chosen: 申诉 has the appeal block and no person
 * reported, and is real-name only (the anonymous choice is switched off while it is chosen);
 * every other kind has the person reported and no appeal block. A hidden block is also disabled,
 * so its fields are not sent. Without JavaScript every block is on the page and the server drops
 * the empty ones (report-form.ts buildReportBody).
 *
 * When the page came back with an error inside a block, it stays visible until the citizen
 * changes the kind, so the message can be read.
 */
export function enhanceTypeSections(form: HTMLFormElement): void {
  const subject = form.querySelector<HTMLFieldSetElement>("[data-subject-fieldset]");
  const appeal = form.querySelector<HTMLFieldSetElement>("[data-appeal-fieldset]");
  const types = Array.from(form.querySelectorAll<HTMLInputElement>('input[type="radio"][name="type"]'));
  const anonymous = form.querySelector<HTMLInputElement>(
    'input[type="radio"][name="realName"][value="false"]',
  );
  const realName = form.querySelector<HTMLInputElement>('input[type="radio"][name="realName"][value="true"]');
  if (!subject || !appeal || types.length === 0) return;
  let keepSubject = subject.hasAttribute("data-has-error");
  let keepAppeal = appeal.hasAttribute("data-has-error");
  const show = (fieldset: HTMLFieldSetElement, on: boolean) => {
    fieldset.hidden = !on;
    fieldset.disabled = !on;
  };
  const update = () => {
    const isAppeal = types.find((r) => r.checked)?.value === "appeal";
    show(subject, !isAppeal || keepSubject);
    show(appeal, isAppeal || keepAppeal);
    if (anonymous && realName) {
      anonymous.disabled = isAppeal;
      if (isAppeal && !realName.checked) {
        realName.checked = true;
        // The real-name toggle shows the reporter's fields on this event.
        realName.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  };
  for (const r of types) {
    r.addEventListener("change", () => {
      keepSubject = false;
      keepAppeal = false;
      update();
    });
  }
  update();
}
