import { ROLES } from "../../api/context";
import { otpauthUri } from "../../api/crypto/totp";
import { type FieldError, problems } from "../../api/errors";
import { addStaff, disableStaff, listStaff, setStaffPassword } from "../../api/services/staff/manage";
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  resetTotp,
  TOTP_ISSUER,
} from "../../api/services/staff/totp";
import { checkOffice, checkRoles, checkUsername } from "../../api/services/staff/validate";
import { required } from "../args";
import { staffPassword } from "../ask";
import { command, UsageError } from "../command";

// Thin: parse flags, call one verb, print. A generated password is printed once on stdout.

export const staffAddCommand = command({
  usage: "staff add --username U --office CODE --roles R1,R2 [--display-name X] [--generate-password]",
  summary: `add a staff member; roles: ${ROLES.join(", ")}; password from stdin, or generated and printed once`,
  options: {
    username: { type: "string" },
    office: { type: "string" },
    roles: { type: "string" },
    "display-name": { type: "string" },
    "generate-password": { type: "boolean" },
  },
  async run(ctx, args) {
    const username = required(args.values, "username");
    const office = required(args.values, "office");
    const roles = required(args.values, "roles")
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    const displayName = args.values["display-name"];
    // Check what the command line says before asking for a password.
    const errors: FieldError[] = [];
    checkUsername(username, errors);
    checkOffice(await ctx.offices(), office, errors);
    checkRoles(roles, errors);
    if (errors.length) throw problems.invalid(errors);
    const { password, generated } = await staffPassword(ctx, args.values["generate-password"] === true);
    const made = await addStaff({
      ctx: await ctx.ctx(),
      input: { username, office, roles, displayName, password, limits: ctx.passwordLimits },
    });
    const o = (await ctx.offices()).get(office)!;
    ctx.out(`added ${made.username} (${o.name} ${office}; ${roles.join(", ")})`);
    if (generated) ctx.out(`password (shown once): ${password}`);
  },
});

export const staffListCommand = command({
  usage: "staff list [--json]",
  summary: "list staff: username, office, roles, TOTP, disabled",
  options: { json: { type: "boolean" } },
  async run(ctx, args) {
    const rows = await listStaff({ ctx: await ctx.ctx(), input: {} });
    if (args.values.json) {
      ctx.out(JSON.stringify(rows, null, 2));
      return;
    }
    const table = [
      ["username", "office", "roles", "totp", "disabled"],
      ...rows.map((r) => [
        r.username,
        r.office,
        r.roles.join(","),
        r.totp ? "yes" : "no",
        r.disabled ? "yes" : "no",
      ]),
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
    for (const row of table)
      ctx.out(
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join("  ")
          .trimEnd(),
      );
  },
});

export const staffDisableCommand = command({
  usage: "staff disable --username U",
  summary: "disable an account and end its sessions",
  options: { username: { type: "string" } },
  async run(ctx, args) {
    const username = required(args.values, "username");
    await disableStaff({ ctx: await ctx.ctx(), input: { username } });
    ctx.out(`disabled ${username}`);
  },
});

export const staffPasswdCommand = command({
  usage: "staff passwd --username U [--generate-password]",
  summary: "set a new password (stdin, or generated and printed once) and end the account's sessions",
  options: { username: { type: "string" }, "generate-password": { type: "boolean" } },
  async run(ctx, args) {
    const username = required(args.values, "username");
    const { password, generated } = await staffPassword(ctx, args.values["generate-password"] === true);
    await setStaffPassword({
      ctx: await ctx.ctx(),
      input: { username, password, limits: ctx.passwordLimits },
    });
    ctx.out(`new password set for ${username}`);
    if (generated) ctx.out(`password (shown once): ${password}`);
  },
});

export const staffTotpCommand = command({
  usage: "staff totp --username U",
  summary:
    "enrol TOTP for an account (for STAFF_TOTP=required): prints the secret, then asks for a current code",
  options: { username: { type: "string" } },
  async run(ctx, args) {
    const username = required(args.values, "username");
    const c = await ctx.ctx();
    const e = await beginTotpEnrolment({ ctx: c, input: {} }, { username });
    if (e.enabled)
      throw new UsageError(`${username} already has TOTP; \`staff totp-reset\` first to enrol a new device`);
    ctx.out(`secret: ${e.secret}\nuri:    ${e.uri ?? otpauthUri(TOTP_ISSUER, username, e.secret!)}`);
    const code = await ctx.readSecret("current 6-digit code: ");
    await confirmTotpEnrolment({ ctx: c, input: { code } }, { username });
    ctx.out(`TOTP is on for ${username}`);
  },
});

export const staffTotpResetCommand = command({
  usage: "staff totp-reset --username U",
  summary: "remove an account's TOTP (lost device) so it can enrol again",
  options: { username: { type: "string" } },
  async run(ctx, args) {
    const username = required(args.values, "username");
    await resetTotp({ ctx: await ctx.ctx(), input: { username } });
    ctx.out(`TOTP removed for ${username}`);
  },
});
