// EXPLAIN ANALYZE of every statement of every hot path (bench/scale/hot-paths.ts) on a seeded
// database, each inside a transaction that is rolled back: what to read when a path is slow.
//
//   npx tsx bench/scale/explain.ts postgres://postgres@127.0.0.1:5432/<seeded db> [path name filter]
import postgres from "postgres";
import { hotPaths, NOT_PLANNED, oneLine, openHotRig } from "./hot-paths";

async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url) throw new Error("usage: explain.ts <database url> [filter]");
  const filter = process.argv[3] ?? "";
  const rig = await openHotRig(url, { office: "430112", city: "430100", province: "430000" });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const report = {
    type: "accusation",
    realName: false,
    subject: {
      name: "赵六",
      unit: "望城区住建局",
      position: "科长",
      managementLevel: "county",
      divisionCode: "430112",
    },
    category: "work",
    title: "反映赵六违规审批问题",
    body: "赵六在审批某楼盘预售许可时违规放行，造成群众损失，请予调查。",
  };
  try {
    for (const path of hotPaths(rig, report)) {
      if (!path.name.includes(filter)) continue;
      const t = performance.now();
      const { status, statements } = await rig.record(path.call);
      console.log(
        `\n=== ${path.name}: ${status} in ${(performance.now() - t).toFixed(1)} ms, ${statements.length} statements`,
      );
      for (const s of statements) {
        if (NOT_PLANNED.test(s.query)) continue;
        let lines: string[] = [];
        await sql
          .begin(async (tx) => {
            const rows = await tx.unsafe(`explain (analyze, buffers) ${s.query}`, s.parameters as never[]);
            lines = rows.map((r) => r["QUERY PLAN"] as string);
            throw new Error("rollback");
          })
          .catch((e) => {
            if ((e as Error).message !== "rollback") lines = [`(not planned: ${(e as Error).message})`];
          });
        const total = lines.find((l) => l.startsWith("Execution Time")) ?? "";
        console.log(`--- ${oneLine(s.query, 200)}\n    ${total}`);
        if (process.env.PLANS) console.log(lines.map((l) => `    ${l}`).join("\n"));
      }
    }
  } finally {
    await sql.end();
    await rig.close();
  }
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
