// The ALTCHA widget without anything inline: `altcha/external` leaves out the bundled styles
// and blob: workers, so the CSS and the proof-of-work worker are served as files from this
// origin (/_astro/…) and no CSP exception is needed.
import "altcha/external";
import "altcha/altcha.css";
import "altcha/i18n/zh-cn";
import "altcha/i18n/en";
import Pbkdf2Worker from "altcha/workers/pbkdf2?worker";

const registry = (globalThis as unknown as { $altcha: { algorithms: Map<string, () => Worker> } }).$altcha;
for (const alg of ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"])
  registry.algorithms.set(alg, () => new Pbkdf2Worker());
