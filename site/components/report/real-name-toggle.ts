/**
 * Shows the reporter fieldset only for a real-name report. A hidden fieldset is also disabled,
 * so its fields are not sent: an anonymous report then carries no identity at all.
 *
 * When the page came back with an error inside the fieldset (e.g. identity given on an anonymous
 * report), it stays visible until the citizen changes the choice, so the message can be read.
 */
export function enhanceRealNameToggle(form: HTMLFormElement): void {
  const fieldset = form.querySelector<HTMLFieldSetElement>("[data-reporter-fieldset]");
  const radios = Array.from(form.querySelectorAll<HTMLInputElement>('input[type="radio"][name="realName"]'));
  if (!fieldset || radios.length === 0) return;
  let keepOpen = fieldset.hasAttribute("data-has-error");
  const update = () => {
    const realName = radios.find((r) => r.checked)?.value === "true";
    const show = realName || keepOpen;
    fieldset.hidden = !show;
    fieldset.disabled = !show;
  };
  for (const r of radios) {
    r.addEventListener("change", () => {
      keepOpen = false;
      update();
    });
  }
  update();
}
