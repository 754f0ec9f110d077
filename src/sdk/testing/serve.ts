import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export type FetchHandler = (request: Request) => Promise<Response> | Response;

export interface ServedFetch {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** Serves a fetch-style handler on a real loopback HTTP server on a free port. */
export function serveFetch(
  handler: FetchHandler,
  options: { port?: number; hostname?: string } = {},
): Promise<ServedFetch> {
  const hostname = options.hostname ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: (request) => handler(request), port: options.port ?? 0, hostname },
      (info: AddressInfo) => {
        resolve({
          url: `http://${hostname}:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              const http = server as Server;
              http.close(() => done());
              http.closeAllConnections?.();
            }),
        });
      },
    );
    server.once("error", reject);
  });
}
