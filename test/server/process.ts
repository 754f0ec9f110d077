import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

export type Verdict = "ok" | "error" | "retry";

/**
 * A loopback receiver for the webhook destination: records every record it accepts, can be
 * slowed down, and answers per-record results (`{ results: [{ key, status, message }] }`).
 */
export class Receiver {
  readonly accepted = new Map<string, unknown>();
  calls = 0;
  delayMs = 0;
  decide: (key: string) => Verdict = () => "ok";
  /** The message sent back with a refused record. */
  reason: (key: string) => string = (key) => `key ${key} refused`;
  private server!: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        this.calls++;
        const payload = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          records: Array<{ key: string; fields: unknown }>;
        };
        setTimeout(() => {
          const results = payload.records.map((record) => {
            const status = this.decide(record.key);
            if (status === "ok") this.accepted.set(record.key, record.fields);
            return { key: record.key, status, message: status === "ok" ? undefined : this.reason(record.key) };
          });
          response.writeHead(200, { "content-type": "application/json" });
          response.end(JSON.stringify({ results }));
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface ServiceConfig {
  receiverUrl: string;
  rows: number;
  token: string;
  hmacSecret?: string;
  maxRecords?: number;
  concurrency?: number;
  graceMs?: number;
}

/** A temporary directory with a seeded DuckDB warehouse and a syncline.yaml pointing at the receiver. */
export function serviceDir(config: ServiceConfig): { dir: string; configPath: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "syncline-e2e-"));
  writeFileSync(
    join(dir, "seed.sql"),
    `CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email, 'Person ' || i AS name
     FROM range(1, ${config.rows + 1}) t(i);\n`,
  );
  const configPath = join(dir, "syncline.yaml");
  writeFileSync(
    configPath,
    `state: ./state.db
sources:
  warehouse: { type: duckdb, path: ./warehouse.duckdb, seed: ./seed.sql }
destinations:
  hook:
    type: webhook
    url: ${config.receiverUrl}
    maxRecords: ${config.maxRecords ?? 100}
    concurrency: ${config.concurrency ?? 2}
syncs:
  people:
    source: warehouse
    model: { sql: "SELECT id, email, name FROM people" }
    primaryKey: id
    destination: hook
    object: people
    mapping: { email: email, name: name }
server:
  host: 127.0.0.1
  tokens: ["${config.token}"]
${config.hmacSecret ? `  hmacSecret: "${config.hmacSecret}"\n` : ""}  shutdownGraceMs: ${config.graceMs ?? 10_000}
`,
  );
  return { dir, configPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `syncline serve` as a real process on a loopback port chosen by the OS. */
export class ServiceProcess {
  readonly logs: Array<Record<string, unknown>> = [];
  readonly stderr: string[] = [];
  child!: ChildProcess;
  base = "";
  /** From spawn to the `ready` log line, and to the first /readyz 200. */
  readyLogMs = 0;
  readyzMs = 0;
  readonly exited: Promise<number | null>;
  private resolveExit!: (code: number | null) => void;

  private readonly configPath: string;
  private readonly token: string;
  private readonly runtime: { command: string[]; cwd?: string };

  /** `runtime.command` runs `syncline` (default: this Node with the repository's bin). */
  constructor(configPath: string, token: string, runtime?: { command: string[]; cwd?: string }) {
    this.configPath = configPath;
    this.token = token;
    this.runtime = runtime ?? { command: [process.execPath, join(ROOT, "bin", "syncline.js")] };
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  async start(extraArgs: string[] = []): Promise<this> {
    const started = performance.now();
    const [command, ...args] = this.runtime.command;
    this.child = spawn(command!, [...args, "serve", "--config", this.configPath, ...extraArgs], {
      cwd: this.runtime.cwd,
      env: { ...process.env, PORT: "0", SYNCLINE_LOG_LEVEL: "info" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.child.on("exit", (code) => this.resolveExit(code));
    let buffer = "";
    const ready = new Promise<number>((resolve, reject) => {
      this.child.stderr!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
          const line = buffer.slice(0, at);
          buffer = buffer.slice(at + 1);
          this.stderr.push(line);
          try {
            const entry = JSON.parse(line) as Record<string, unknown>;
            this.logs.push(entry);
            if (entry.msg === "ready") resolve(entry.port as number);
          } catch {
            // not a log line
          }
        }
      });
      void this.exited.then((code) =>
        reject(new Error(`serve exited (${code}) before ready:\n${this.stderr.join("\n")}`)),
      );
    });
    const port = await ready;
    this.readyLogMs = performance.now() - started;
    this.base = `http://127.0.0.1:${port}`;
    while ((await fetch(`${this.base}/readyz`)).status !== 200) await sleep(5);
    this.readyzMs = performance.now() - started;
    return this;
  }

  fetch(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? this.token : init.token;
    if (token !== null) headers.set("authorization", `Bearer ${token}`);
    return fetch(`${this.base}${path}`, { ...init, headers });
  }

  async json<T>(path: string, init: RequestInit & { token?: string | null } = {}): Promise<T> {
    return (await (await this.fetch(path, init)).json()) as T;
  }

  /** Polls a run until `ok` holds. */
  async runUntil<T extends { status: string }>(id: string, ok: (run: T) => boolean, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const run = await this.json<T>(`/v1/runs/${id}`);
      if (ok(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status}`);
      await sleep(25);
    }
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill(signal);
    return this.exited;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
