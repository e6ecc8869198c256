// What the benches that drive the production server share: a free port for it, a probe script
// run in a process of its own (its last stdout line is its JSON answer), and percentiles.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** Runs `script` (a path under `root`) with tsx in its own process and answers its last line, parsed. */
export function runChild<T>(root: string, script: string, env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const p = spawn(process.execPath, ["--import", "tsx", path.join(root, script)], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    p.stdout.on("data", (d) => {
      out += d;
    });
    p.stderr.on("data", (d) => {
      err += d;
    });
    p.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as T);
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** The p-th percentile (nearest rank) of `xs`; NaN when there are none. */
export function pct(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
