import { parentPort, workerData } from "node:worker_threads";
import autocannon from "autocannon";
import type { LoadOptions, LoadResult } from "./load";

// In a worker thread (runLoad) the options come as workerData and the answer goes back by
// message; as a process of its own (runLoadProcess) they come in BENCH_LOAD and the answer is the
// last stdout line.
const opts = (parentPort ? workerData : JSON.parse(process.env.BENCH_LOAD ?? "{}")) as LoadOptions;
const reply = (m: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
  if (parentPort) parentPort.postMessage(m);
  else process.stdout.write(`${JSON.stringify(m)}\n`);
};
let n = 0;
const base = opts.uniqueField ? String(opts.body[opts.uniqueField] ?? "") : "";

const SURNAMES = [
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
];
const GIVEN = [..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志文晓东红玉萍飞鹏辉波斌宇浩凯"];
// Tags differ between load runs: start each run's names at a different place.
const offset = [...opts.tag].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
const nameOf = (i: number): string => {
  const k = (i + offset) % (SURNAMES.length * (GIVEN.length + 1) * GIVEN.length);
  const g2 = k % (GIVEN.length + 1);
  const g1 = Math.floor(k / (GIVEN.length + 1)) % GIVEN.length;
  const s = Math.floor(k / ((GIVEN.length + 1) * GIVEN.length));
  return SURNAMES[s] + GIVEN[g1] + (g2 === GIVEN.length ? "" : GIVEN[g2]);
};

const bodyOf = (): string => {
  const i = ++n;
  let body = opts.uniqueField
    ? { ...opts.body, [opts.uniqueField]: `${base}（${opts.tag}-${i}）` }
    : opts.body;
  if (opts.varySubject) {
    const subject = body.subject as Record<string, unknown>;
    body = { ...body, subject: { ...subject, name: nameOf(i) } };
  }
  return JSON.stringify(body);
};

autocannon(
  {
    url: opts.url,
    connections: opts.connections,
    duration: opts.duration,
    method: "POST",
    headers: { "content-type": "application/json", ...opts.headers },
    requests: [
      {
        // A unique title per request, as real submissions have: nothing can be served from a cache.
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodyOf() }),
      },
    ],
  },
  (err: Error | null, raw: autocannon.Result) => {
    if (err) {
      reply({ ok: false, error: String(err) });
      return;
    }
    // Off the main thread autocannon hands back its raw histograms; aggregate them as it would.
    const r = raw.latency
      ? raw
      : autocannon.aggregateResult([raw], { url: opts.url, connections: opts.connections });
    const ok = r["2xx"];
    const result: LoadResult = {
      rps: ok / r.duration,
      p50: r.latency.p50,
      p99: r.latency.p99,
      ok,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      seconds: r.duration,
    };
    reply({ ok: true, result });
  },
);
