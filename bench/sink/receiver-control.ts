import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** What the receiver counted so far (bench/sink/receiver.ts). */
export interface Stats {
  requests: number;
  records: number;
  bytes: number;
}

/** The sink scenario's receiver, started in its own process and driven over HTTP. */
export interface Receiver {
  url: string;
  stats(): Promise<Stats>;
  post(path: string, body?: string): Promise<void>;
  stop(): void;
}

export async function startReceiver(): Promise<Receiver> {
  const child: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, "receiver.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child
      .stdout!.setEncoding("utf8")
      .once("data", (line: string) => resolve((JSON.parse(line) as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`the receiver exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as Stats,
    post: async (path, body) => {
      const response = await fetch(`${url}${path}`, { method: "POST", body });
      if (!response.ok) throw new Error(`receiver ${path}: ${response.status}`);
    },
    stop: () => child.kill("SIGTERM"),
  };
}
