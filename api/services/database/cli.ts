import { RoleError, setupRoles } from "../../../db/roles";
import { migrateAll } from "../../bootstrap/migrate";
import { type Command, checkFlags, flag, UsageError } from "../staff/cli-kit";

/** `migrate`: the schema, offices, pre-0003 audit rows and the app roles' grants, as the owner. */
export const migrateCommand: Command = {
  usage: "migrate",
  summary:
    "apply the committed migrations as the owner (DATABASE_OWNER_URL, else DATABASE_URL), seed offices, chain old audit rows, re-apply the app roles' grants",
  async run(ctx, args) {
    checkFlags(args, []);
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
};

/** `db roles`: creates the runtime and public roles when missing and (re)applies their grants. */
export const dbRolesCommand: Command = {
  usage: "db roles --runtime NAME --public NAME [--login]",
  summary:
    "as the owner: create the app's runtime (staff/all) and public (APP_ROLE=public) database roles if missing (NOLOGIN; with --login, LOGIN with a password each from stdin) and (re)apply their grants; idempotent",
  async run(ctx, args) {
    checkFlags(args, ["runtime", "public", "login"]);
    const runtime = flag(args, "runtime", true);
    const pub = flag(args, "public", true);
    const handle = await ctx.database();
    if (handle.kind !== "postgres") {
      throw new UsageError("db roles needs PostgreSQL (DATABASE_URL): PGlite runs as one role");
    }
    let passwords: { runtime: string; public: string } | undefined;
    if (args.flags.login === true) {
      passwords = {
        runtime: await ctx.readSecret(`password for ${runtime}: `),
        public: await ctx.readSecret(`password for ${pub}: `),
      };
      if (!passwords.runtime || !passwords.public) throw new RoleError("empty password");
    } else if (args.flags.login !== undefined) {
      throw new UsageError("--login takes no value (the passwords come from stdin)");
    }
    // The tables must exist before they can be granted.
    await migrateAll(handle, await ctx.offices());
    const r = await setupRoles(handle.db, { runtime, public: pub, passwords });
    ctx.out(r.created.length ? `created roles: ${r.created.join(", ")}` : "roles exist; none created");
    ctx.out(`grants applied: ${runtime} (runtime: staff/all app), ${pub} (public: APP_ROLE=public)`);
  },
};
