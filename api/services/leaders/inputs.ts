// The fields of each leader action, parsed after its permission check (CONVENTIONS: a refused step
// answers as such, whatever its body). Texts are trimmed, 1–1000 characters, without U+0000.
import { isIsoDate } from "../../domain/clock";
import type { LeaderAction } from "../../domain/leaders";
import { type FieldError, leaderFieldError } from "../../errors";

export const LEADER_TEXT_MAX = 1000;

export type LeaderInput =
  | { action: "submit_instruction"; proposal: string }
  | { action: "instruct"; instruction: string; signedOn: string }
  | { action: "mark" }
  | { action: "close" }
  | { action: "supervise"; instruction: string }
  | { action: "pull_up"; reason: string }
  | { action: "review_up"; reason: string }
  | { action: "approve_review"; note: string | null }
  | { action: "return_review"; reason: string };

/** The form fields of each action (the pages' forms and the API body), required unless optional. */
export const LEADER_FIELDS: Record<LeaderAction, { name: string; kind: "text" | "date"; optional?: true }[]> =
  {
    submit_instruction: [{ name: "proposal", kind: "text" }],
    instruct: [
      { name: "instruction", kind: "text" },
      { name: "signedOn", kind: "date" },
    ],
    mark: [],
    close: [],
    supervise: [{ name: "instruction", kind: "text" }],
    pull_up: [{ name: "reason", kind: "text" }],
    review_up: [{ name: "reason", kind: "text" }],
    approve_review: [{ name: "note", kind: "text", optional: true }],
    return_review: [{ name: "reason", kind: "text" }],
  };

function text(body: Record<string, unknown>, name: string, optional: boolean, errors: FieldError[]) {
  const raw = body[name];
  const v = typeof raw === "string" ? raw.trim() : "";
  if (raw !== undefined && raw !== null && typeof raw !== "string") {
    errors.push(leaderFieldError(name, "invalid"));
    return "";
  }
  if (v === "") {
    if (!optional) errors.push(leaderFieldError(name, "required"));
    return "";
  }
  if (v.includes("\u0000")) errors.push(leaderFieldError(name, "invalid"));
  else if ([...v].length > LEADER_TEXT_MAX) {
    errors.push(leaderFieldError(name, "text.too_long", { max: LEADER_TEXT_MAX }));
  }
  return v;
}

/** The action's fields, or the field errors. `today` bounds the 批示's date (Asia/Shanghai). */
export function parseLeaderBody(
  action: LeaderAction,
  body: Record<string, unknown>,
  today: string,
): { ok: true; input: LeaderInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const t = (name: string, optional = false) => text(body, name, optional, errors);
  let input: LeaderInput;
  switch (action) {
    case "submit_instruction":
      input = { action, proposal: t("proposal") };
      break;
    case "instruct": {
      const instruction = t("instruction");
      const signedOn = typeof body.signedOn === "string" ? body.signedOn.trim() : "";
      if (!isIsoDate(signedOn) || signedOn > today) {
        errors.push(leaderFieldError("signedOn", "signedOn.invalid"));
      }
      input = { action, instruction, signedOn };
      break;
    }
    case "mark":
    case "close":
      input = { action };
      break;
    case "supervise":
      input = { action, instruction: t("instruction") };
      break;
    case "pull_up":
    case "review_up":
    case "return_review":
      input = { action, reason: t("reason") };
      break;
    case "approve_review":
      input = { action, note: t("note", true) || null };
      break;
  }
  return errors.length ? { ok: false, errors } : { ok: true, input };
}
