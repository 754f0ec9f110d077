import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { classify } from "../../sdk/errors/classify.ts";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import type { SnapshotPage } from "../../state/snapshot-pages.ts";
import { CONSUMED, PRODUCED, type ReaderData, type ReaderMessage } from "./snapshot-protocol.ts";

/**
 * A sync's snapshot pages read by a worker thread (snapshot-worker.ts), taken synchronously:
 * the merge pulls entries inside a synchronous loop, so `next()` waits with Atomics.wait and
 * this thread's event loop does not run meanwhile. A worker that fails outside its own catch
 * (out of memory, a module that does not load) is seen through its 'error' event once the loop
 * has run (as between the model's chunks), or after `silenceMs` without a page: a page is
 * milliseconds of SQLite, and the worker's own busy wait ends sooner with an error it posts.
 */
export class SnapshotThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly counters: Int32Array;
  private readonly silenceMs: number;
  private ended = false;
  private died: Error | undefined;

  constructor(file: string, sync: string, module: URL, silenceMs: number) {
    this.silenceMs = silenceMs;
    // A missing module would only show as the worker's 'error' event, after a silent wait.
    if (!existsSync(fileURLToPath(module))) {
      throw new Error(`Syncline's snapshot reader ${fileURLToPath(module)} is missing: reinstall the package`);
    }
    const shared = new SharedArrayBuffer(8);
    this.counters = new Int32Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: ReaderData = { file, sync, shared, port: port2 };
    this.worker = new Worker(module, {
      workerData: data,
      transferList: [port2],
      // It holds a few pages at a time; small V8 spaces keep its isolate's memory down.
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
    });
    this.worker.on("error", (error: Error) => {
      this.died = error;
    });
  }

  next(): SnapshotPage | undefined {
    if (this.ended) return undefined;
    const since = performance.now();
    for (;;) {
      const produced = Atomics.load(this.counters, PRODUCED);
      const received = receiveMessageOnPort(this.port);
      if (received) return this.take(received.message as ReaderMessage);
      if (this.died) throw this.stopped(`its worker thread stopped: ${this.died.message}`);
      if (performance.now() - since > this.silenceMs) {
        throw this.stopped(
          `its worker thread sent nothing for ${this.silenceMs / 1000} s and is taken for dead (out of memory?)`,
        );
      }
      // Nothing yet: sleep until the worker posts (it posts, then counts).
      Atomics.wait(this.counters, PRODUCED, produced, Math.min(1000, this.silenceMs));
    }
  }

  async close(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }

  private take(message: ReaderMessage): SnapshotPage | undefined {
    Atomics.add(this.counters, CONSUMED, 1);
    Atomics.notify(this.counters, CONSUMED);
    if (message.error) {
      this.ended = true;
      const { message: text, code } = message.error;
      throw classify(Object.assign(new Error(`reading the snapshot: ${text}`), { code }));
    }
    if (message.end) this.ended = true;
    return message.page;
  }

  /** Nothing was planned or sent yet: the run fails whole, and the next one reads again. */
  private stopped(why: string): TransientError {
    this.ended = true;
    return new TransientError(`reading the snapshot: ${why}; the run can be retried`);
  }
}
