import type { Command } from "../command";
import { calendarLoadCommand, calendarShowCommand } from "./calendar";
import { dbRolesCommand, migrateCommand } from "./database";
import { identityPurgeGrantsCommand } from "./identity";
import { initCommand } from "./init";
import { reconciliationSignCommand, reconciliationVerifyCommand } from "./reconciliation";
import { secretsRotateCommand } from "./secrets";
import {
  staffAddCommand,
  staffDisableCommand,
  staffListCommand,
  staffPasswdCommand,
  staffTotpCommand,
  staffTotpResetCommand,
} from "./staff";
import { trailAnchorCommand, trailVerifyCommand } from "./trail";
import { vaultAddCustodianCommand, vaultInitCommand, vaultPasswdCommand } from "./vault";

/**
 * The admin CLI's command registry: "group verb" → Command (cli/command.ts: the Command shape and
 * the CliContext it receives). To add a command, write it with `command({...})` in a file here,
 * import it and add one line, e.g. `"trail verify": trailVerifyCommand,`.
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
  "reconciliation sign": reconciliationSignCommand,
  "reconciliation verify": reconciliationVerifyCommand,
  migrate: migrateCommand,
  "db roles": dbRolesCommand,
  "secrets rotate": secretsRotateCommand,
  "identity purge-grants": identityPurgeGrantsCommand,
  "calendar load": calendarLoadCommand,
  "calendar show": calendarShowCommand,
};
