/**
 * Turns the one division list (province option, then an optgroup per city holding the city and
 * its counties) into two selects: city, then county. The original select stays in the form,
 * hidden, and keeps the `divisionCode` the form posts; the new selects have no name.
 */
export function enhanceDivisionPicker(form: HTMLFormElement): void {
  const wrap = form.querySelector<HTMLElement>("[data-division-picker]");
  const source = wrap?.querySelector<HTMLSelectElement>('select[name="divisionCode"]');
  if (!wrap || !source) return;

  interface Entry {
    value: string;
    label: string;
    lang: string;
    children: { value: string; label: string }[];
  }
  const placeholder = source.querySelector<HTMLOptionElement>('option[value=""]')?.text ?? "";
  const entries: Entry[] = [];
  for (const child of Array.from(source.children)) {
    if (child instanceof HTMLOptGroupElement) {
      const options = Array.from(child.querySelectorAll("option"));
      if (options.length === 0) continue;
      entries.push({
        value: options[0].value,
        label: child.label,
        lang: child.lang,
        children: options.map((o) => ({ value: o.value, label: o.text })),
      });
    } else if (child instanceof HTMLOptionElement && child.value) {
      entries.push({ value: child.value, label: child.text, lang: child.lang, children: [] });
    }
  }

  const makeOption = (value: string, label: string, lang = "") => {
    const o = document.createElement("option");
    o.value = value;
    o.text = label;
    if (lang) o.lang = lang;
    return o;
  };

  // The first new select takes over the original's id, so the label and the error summary's
  // link now lead to it.
  const id = source.id;
  source.id = `${id}-source`;
  source.hidden = true;
  source.tabIndex = -1;
  source.setAttribute("aria-hidden", "true");

  const pair = document.createElement("div");
  pair.className = "division-pair";
  const makeSelect = (selectId: string, label: string) => {
    const field = document.createElement("div");
    field.className = "division-pair__item";
    const l = document.createElement("label");
    l.className = "sublabel";
    l.htmlFor = selectId;
    l.textContent = label;
    const s = document.createElement("select");
    s.id = selectId;
    s.className = "input input--medium";
    const describedBy = source.getAttribute("aria-describedby");
    if (describedBy) s.setAttribute("aria-describedby", describedBy);
    const invalid = source.getAttribute("aria-invalid");
    if (invalid) s.setAttribute("aria-invalid", invalid);
    field.append(l, s);
    pair.append(field);
    return { field, select: s };
  };
  const city = makeSelect(id, wrap.dataset.labelCity ?? "");
  const county = makeSelect(`${id}-county`, wrap.dataset.labelCounty ?? "");
  source.after(pair);

  city.select.append(makeOption("", placeholder));
  for (const e of entries) city.select.append(makeOption(e.value, e.label, e.lang));

  const fillCounties = (entry: Entry | undefined, selected: string) => {
    county.select.replaceChildren();
    const show = !!entry && entry.children.length > 0;
    county.field.hidden = !show;
    county.select.disabled = !show;
    if (!entry || !show) return;
    county.select.append(makeOption("", placeholder));
    for (const ch of entry.children) county.select.append(makeOption(ch.value, ch.label, entry.lang));
    county.select.value = selected;
  };

  // Start from what the page was rendered with (a form shown again keeps its choice).
  const initial = source.value;
  const start = entries.find((e) => e.value === initial || e.children.some((ch) => ch.value === initial));
  city.select.value = start?.value ?? "";
  fillCounties(start, start && start.children.length > 0 ? initial : "");

  const sync = () => {
    const entry = entries.find((e) => e.value === city.select.value);
    source.value = entry && entry.children.length > 0 ? county.select.value : city.select.value;
  };
  city.select.addEventListener("change", () => {
    fillCounties(
      entries.find((e) => e.value === city.select.value),
      "",
    );
    sync();
  });
  county.select.addEventListener("change", sync);
}
