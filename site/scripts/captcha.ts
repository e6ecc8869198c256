// Client side of site/components/CaptchaWidget.astro. Loads only what the page shows.
export {};

function noJsField(from: Element): HTMLInputElement | null {
  return (from.closest("form") ?? document).querySelector<HTMLInputElement>("input[data-qf-nojs]");
}

const altchaWidgets = document.querySelectorAll("altcha-widget[data-qf-captcha]");
if (altchaWidgets.length > 0) {
  await import("./altcha-widget");
  for (const widget of altchaWidgets) {
    widget.addEventListener("statechange", (ev) => {
      const state = (ev as CustomEvent<{ state?: string }>).detail?.state;
      const field = noJsField(widget);
      // Solved: send only the proof of work. Error or expiry: the no-JS token is the fallback.
      if (field) field.disabled = state === "verified";
    });
  }
}

const hcaptchaBox = document.querySelector("[data-qf-hcaptcha]");
if (hcaptchaBox) {
  const answer = (hcaptchaBox.closest("form") ?? document).querySelector<HTMLInputElement>(
    "input[data-qf-hcaptcha-answer]",
  );
  const w = window as unknown as Record<string, unknown>;
  w.qfHcaptchaDone = (token: string) => {
    if (!answer) return;
    answer.value = token;
    answer.disabled = false;
    const field = noJsField(hcaptchaBox);
    if (field) field.disabled = true;
  };
  w.qfHcaptchaExpired = () => {
    if (answer) {
      answer.value = "";
      answer.disabled = true;
    }
    const field = noJsField(hcaptchaBox);
    if (field) field.disabled = false;
  };
  // Loaded from here, after the callbacks exist; the CSP allows it on the report pages only.
  const s = document.createElement("script");
  s.src = "https://js.hcaptcha.com/1/api.js";
  s.async = true;
  document.head.append(s);
}
