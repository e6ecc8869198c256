// 清风 admin CLI: `npm run admin -- <command>`. Scriptable: secrets come from stdin lines when
// stdin is not a terminal; exit codes 0 ok, 1 failure, 2 usage. With the embedded database, stop
// the server first: PGlite must not open its data folder from two processes.
import { commands } from "./commands/index";
import { runCli } from "./run";

const code = await runCli(commands, process.argv.slice(2));
// Exit explicitly: a readline on an open stdin pipe would otherwise keep the process alive.
process.exit(code);
