/**
 * With JavaScript, a report with attachments is sent with XMLHttpRequest so the page can show
 * how far the upload is; the answer (the receipt, or the form with its errors) then replaces
 * the page, exactly as the plain form post would have shown it. Without files, or before the
 * captcha is solved, the form posts as it does without JavaScript.
 *
 * The field's `data-*` attributes (ReportForm.astro) carry the limits and the messages, so this
 * file holds no user-visible text. The server checks everything again (attachments/prepare.ts).
 */

export interface UploadOptions {
  /** Runs the page's enhancements on the page that replaced this one (see replaceDocument). */
  reenhance: () => void;
}

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));

export function enhanceUpload(form: HTMLFormElement, opts: UploadOptions): void {
  const field = form.querySelector<HTMLElement>("[data-upload]");
  const input = field?.querySelector<HTMLInputElement>('input[type="file"][name="files"]');
  if (!field || !input) return;
  const progress = field.querySelector<HTMLProgressElement>("[data-upload-progress]");
  const status = field.querySelector<HTMLElement>("[data-upload-text]");
  const maxFiles = Number(field.dataset.maxFiles);
  const maxBytes = Number(field.dataset.maxBytes);
  const msg = {
    tooMany: field.dataset.msgTooMany ?? "",
    tooLarge: field.dataset.msgTooLarge ?? "",
    uploading: field.dataset.msgUploading ?? "",
    processing: field.dataset.msgProcessing ?? "",
    failed: field.dataset.msgFailed ?? "",
  };
  const errorId = `${input.id}-error`;
  let uploading = false;

  /** The limits, checked before anything is sent: the messages beside the field, or none. */
  const problems = (): string[] => {
    const files = Array.from(input.files ?? []);
    const out: string[] = [];
    if (Number.isFinite(maxFiles) && files.length > maxFiles)
      out.push(fill(msg.tooMany, { chosen: files.length }));
    if (Number.isFinite(maxBytes))
      for (const f of files) if (f.size > maxBytes) out.push(fill(msg.tooLarge, { name: f.name }));
    return out;
  };

  const setDescribedBy = (id: string, on: boolean) => {
    const ids = (input.getAttribute("aria-describedby") ?? "").split(/\s+/).filter((x) => x && x !== id);
    if (on) ids.push(id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  };

  /** Shows the messages beside the field (replacing a server's message), or clears them. */
  const showErrors = (messages: string[]) => {
    let el = document.getElementById(errorId);
    if (messages.length === 0) {
      el?.remove();
      field.classList.remove("field--error");
      input.removeAttribute("aria-invalid");
      setDescribedBy(errorId, false);
      return;
    }
    if (!el) {
      el = document.createElement("p");
      el.className = "field-error";
      el.id = errorId;
      input.before(el);
    }
    const prefix = document.createElement("span");
    prefix.className = "visually-hidden";
    prefix.textContent = field.dataset.errorPrefix ?? "";
    el.replaceChildren(prefix, messages.join(" "));
    field.classList.add("field--error");
    input.setAttribute("aria-invalid", "true");
    setDescribedBy(errorId, true);
  };

  input.addEventListener("change", () => {
    // New files: what was said about the files of the last post no longer applies.
    const again = document.getElementById(`${input.id}-again`);
    if (again && (input.files?.length ?? 0) > 0) {
      again.hidden = true;
      setDescribedBy(again.id, false);
    }
    if (status) status.textContent = "";
    showErrors(problems());
  });

  // In the capture phase on the window, before the form's own listeners: the ALTCHA widget
  // starts its proof of work in a capture listener on the form, which is wasted on files that
  // cannot be sent.
  window.addEventListener(
    "submit",
    (ev) => {
      if (ev.target !== form) return;
      if (uploading) {
        ev.preventDefault();
        ev.stopPropagation();
        return;
      }
      const found = problems();
      if (found.length === 0) return;
      ev.preventDefault();
      ev.stopPropagation();
      showErrors(found);
      input.focus();
    },
    true,
  );

  form.addEventListener("submit", (ev) => {
    // Someone else holds the submission: the ALTCHA widget solving first (it submits again when
    // done), or the check above.
    if (ev.defaultPrevented || uploading) return;
    if ((input.files?.length ?? 0) === 0) return;
    const payload = captchaPayload(form);
    if (payload === "") return; // an unsolved widget: let it solve, it calls requestSubmit again
    ev.preventDefault();
    send(ev.submitter);
  });

  const buttons = () =>
    Array.from(form.querySelectorAll<HTMLButtonElement>('button[type="submit"]')).filter(
      (b) => !b.closest("altcha-widget"),
    );

  const send = (submitter: HTMLElement | null) => {
    const data = new FormData(form, submitter);
    const payload = captchaPayload(form);
    if (payload) {
      // Only the solved proof of work, as captcha.ts arranges for a plain post.
      data.delete("captcha");
      data.append("captcha", payload);
    }
    uploading = true;
    for (const b of buttons()) b.disabled = true;
    form.setAttribute("aria-busy", "true");
    if (progress) {
      progress.hidden = false;
      progress.removeAttribute("value"); // indeterminate until the first progress event
    }
    let lastSaid = -1;
    const say = (text: string) => {
      if (status) status.textContent = text;
    };
    say(fill(msg.uploading, { percent: 0 }));

    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.responseType = "text";
    xhr.setRequestHeader("Accept", "text/html");
    xhr.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable || !progress) return;
      const percent = Math.floor((e.loaded / e.total) * 100);
      progress.max = 100;
      progress.value = percent;
      // A screen reader hears every tenth percent, not every event.
      const step = Math.floor(percent / 10) * 10;
      if (step !== lastSaid) {
        lastSaid = step;
        say(fill(msg.uploading, { percent: step }));
      }
    });
    xhr.upload.addEventListener("load", () => {
      if (progress) progress.value = 100;
      say(msg.processing);
    });
    const fail = () => {
      uploading = false;
      for (const b of buttons()) b.disabled = false;
      form.removeAttribute("aria-busy");
      if (progress) progress.hidden = true;
      say(msg.failed);
    };
    xhr.addEventListener("error", fail);
    xhr.addEventListener("timeout", fail);
    xhr.addEventListener("abort", fail);
    xhr.addEventListener("load", () => {
      const type = xhr.getResponseHeader("Content-Type") ?? "";
      // Every answer of the report page is a page (receipt, or the form with its errors); anything
      // else came from something in between, and the citizen can try again from here.
      if (!type.includes("text/html") || !xhr.responseText) return fail();
      replaceDocument(xhr.responseText, opts.reenhance);
    });
    xhr.send(data);
  };
}

/**
 * The solved ALTCHA payload; `undefined` when the page has no ALTCHA widget (captcha off, or
 * hCaptcha, whose answer is in the form once solved), "" while a widget is unsolved.
 */
function captchaPayload(form: HTMLFormElement): string | undefined {
  const widgets = Array.from(form.querySelectorAll("altcha-widget"));
  if (widgets.length === 0) return undefined;
  for (const w of widgets) {
    const v = w.querySelector<HTMLInputElement>('input[type="hidden"][name="captcha"]')?.value;
    if (v) return v;
  }
  return "";
}

/**
 * Shows the answer in place of this page, as a form post would have. document.open() keeps the
 * page's window, so its Content-Security-Policy stays in force (the answer is the same route,
 * with the same external /_astro/ scripts and styles, nothing inline), and modules that already
 * ran are not run again: the page's module scripts are fetched from the module map, not
 * evaluated. So the enhancements are run here on the new page. Each is guarded by a
 * `data-enhanced` mark, so a browser that did run the modules again does not run them twice.
 */
function replaceDocument(html: string, reenhance: () => void): void {
  document.open();
  document.write(html);
  document.close();
  rewireCaptcha();
  reenhance();
  // A form post would move focus to the new page; do the same: the error summary, or the heading.
  const target =
    document.querySelector<HTMLElement>("#error-summary") ??
    document.querySelector<HTMLElement>("main h1, h1");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
}

/**
 * What site/scripts/captcha.ts does when it loads, for a page written by replaceDocument: once
 * the ALTCHA widget is solved only its answer is sent, not the no-JavaScript token. (The widget
 * element itself is already defined in this window, so the new one works on its own.)
 */
function rewireCaptcha(): void {
  for (const widget of Array.from(document.querySelectorAll("altcha-widget[data-qf-captcha]"))) {
    widget.addEventListener("statechange", (ev) => {
      const state = (ev as CustomEvent<{ state?: string }>).detail?.state;
      const field = (widget.closest("form") ?? document).querySelector<HTMLInputElement>(
        "input[data-qf-nojs]",
      );
      if (field) field.disabled = state === "verified";
    });
  }
}
