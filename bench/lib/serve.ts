import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves a fetch handler over real HTTP on 127.0.0.1 at a free port. */
export function serveOnLoopback(fetch: (req: Request) => Response | Promise<Response>): Promise<Served> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // autocannon's keep-alive sockets would otherwise hold close() open.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}
