import { migrateAll } from "../../api/bootstrap/migrate";
import { RoleError, setupRoles } from "../../db/roles";
import { required } from "../args";
import { command, UsageError } from "../command";

/** `migrate`: the schema, offices, pre-0003 audit rows and the app roles' grants, as the owner. */
export const migrateCommand = command({
  usage: "migrate",
  summary:
    "apply the committed migrations as the owner (DATABASE_OWNER_URL, else DATABASE_URL), seed offices, chain old audit rows, re-apply the app roles' grants",
  options: {},
  async run(ctx) {
    const handle = await ctx.database();
    const r = await migrateAll(handle, await ctx.offices());
    ctx.out(
      `database migrated (${ctx.config.embedded ? `PGlite in ${ctx.config.dataDir}/pglite` : "PostgreSQL"})`,
    );
    if (r.auditRowsChained > 0)
      ctx.out(`chained ${r.auditRowsChained} audit rows written before migration 0003`);
    ctx.out(
      r.roles.length
        ? `grants re-applied for ${r.roles.join(", ")}`
        : handle.kind === "postgres"
          ? "no app roles recorded yet: run `db roles --runtime NAME --public NAME`"
          : "PGlite has one role: no grants to apply",
    );
  },
});

/** `db roles`: creates the runtime and public roles when missing and (re)applies their grants. */
export const dbRolesCommand = command({
  usage: "db roles --runtime NAME --public NAME [--login]",
  summary:
    "as the owner: create the app's runtime (staff/all) and public (APP_ROLE=public) database roles if missing (NOLOGIN; with --login, LOGIN with a password each from stdin) and (re)apply their grants; idempotent",
  options: { runtime: { type: "string" }, public: { type: "string" }, login: { type: "boolean" } },
  async run(ctx, args) {
    const runtime = required(args.values, "runtime");
    const pub = required(args.values, "public");
    const handle = await ctx.database();
    if (handle.kind !== "postgres") {
      throw new UsageError("db roles needs PostgreSQL (DATABASE_URL): PGlite runs as one role");
    }
    let passwords: { runtime: string; public: string } | undefined;
    // --login takes no value: the passwords come from stdin (cli/args.ts refuses --login=x).
    if (args.values.login) {
      passwords = {
        runtime: await ctx.readSecret(`password for ${runtime}: `),
        public: await ctx.readSecret(`password for ${pub}: `),
      };
      if (!passwords.runtime || !passwords.public) throw new RoleError("empty password");
    }
    // The tables must exist before they can be granted.
    await migrateAll(handle, await ctx.offices());
    const r = await setupRoles(handle.db, { runtime, public: pub, passwords });
    ctx.out(r.created.length ? `created roles: ${r.created.join(", ")}` : "roles exist; none created");
    ctx.out(`grants applied: ${runtime} (runtime: staff/all app), ${pub} (public: APP_ROLE=public)`);
  },
});
