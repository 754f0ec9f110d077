import { type ServedFetch, serveFetch } from "./serve.ts";

/** A loopback server that answers every request with the same status (for error checks). */
export function serveStatus(status: number, headers: Record<string, string> = {}): Promise<ServedFetch> {
  const body = JSON.stringify({ status: "error", message: `status ${status} from the contract kit` });
  return serveFetch(() => new Response(body, { status, headers: { "content-type": "application/json", ...headers } }));
}

/** A URL on which nothing listens (a server that was started, then stopped). */
export async function deadUrl(): Promise<string> {
  const server = await serveFetch(() => new Response(null, { status: 204 }));
  await server.close();
  return server.url;
}
