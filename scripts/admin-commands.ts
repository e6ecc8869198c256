import { calendarLoadCommand, calendarShowCommand } from "../api/services/calendar/cli";
import { dbRolesCommand, migrateCommand } from "../api/services/database/cli";
import { identityPurgeGrantsCommand } from "../api/services/identity/purge-cli";
import { secretsRotateCommand } from "../api/services/secrets/cli";
import {
  initCommand,
  staffAddCommand,
  staffDisableCommand,
  staffListCommand,
  staffPasswdCommand,
  staffTotpCommand,
  staffTotpResetCommand,
  vaultAddCustodianCommand,
  vaultInitCommand,
  vaultPasswdCommand,
} from "../api/services/staff/cli-commands";
import type { Command } from "../api/services/staff/cli-kit";
import { trailAnchorCommand, trailVerifyCommand } from "../api/services/trail/cli";

/**
 * The admin CLI's command registry: "group verb" → Command (see api/services/staff/cli-kit.ts
 * for the Command shape and the CliContext it receives). To add a command, import it and add one
 * line, e.g. `"trail verify": trailVerifyCommand,`.
 */
export const commands: Record<string, Command> = {
  init: initCommand,
  "vault init": vaultInitCommand,
  "vault add-custodian": vaultAddCustodianCommand,
  "vault passwd": vaultPasswdCommand,
  "staff add": staffAddCommand,
  "staff list": staffListCommand,
  "staff disable": staffDisableCommand,
  "staff passwd": staffPasswdCommand,
  "staff totp": staffTotpCommand,
  "staff totp-reset": staffTotpResetCommand,
  "trail verify": trailVerifyCommand,
  "trail anchor": trailAnchorCommand,
  migrate: migrateCommand,
  "db roles": dbRolesCommand,
  "secrets rotate": secretsRotateCommand,
  "identity purge-grants": identityPurgeGrantsCommand,
  "calendar load": calendarLoadCommand,
  "calendar show": calendarShowCommand,
};
