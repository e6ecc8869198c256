import fs from "node:fs";
import path from "node:path";
import type { Config } from "../../config";
import type { Deps } from "../../context";

/** Demo data for the embedded default, so a newcomer can click through. Idempotent. */
export const seedDemo = {
  async writeCustodianNote(config: Config, custodian: { name: string; passphrase: string }): Promise<string> {
    const file = path.join(config.dataDir, "DEMO-CUSTODIAN.txt");
    fs.writeFileSync(
      file,
      [
        "清风 demo: identity vault custodian",
        `custodian: ${custodian.name}`,
        `passphrase: ${custodian.passphrase}`,
        "This file exists only in the embedded demo. In production the passphrase is written down by the custodian and never stored.",
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    return file;
  },
  async run(_deps: Deps): Promise<void> {},
};
