/**
 * Worker thread of snapshot-reader.ts: reads a sync's snapshot pages from the state file in
 * one read transaction and posts them, at most AHEAD pages ahead of the merge.
 */
import { workerData } from "node:worker_threads";
import { AHEAD, CONSUMED, PRODUCED, type ReaderData, type ReaderMessage } from "./snapshot-protocol.ts";

const { file, sync, shared, port } = workerData as ReaderData;
const counters = new Int32Array(shared);
const post = (message: ReaderMessage) => {
  port.postMessage(message);
  Atomics.add(counters, PRODUCED, 1);
  Atomics.notify(counters, PRODUCED);
};

try {
  // Loaded inside the try (snapshot-protocol.ts imports types only): a driver or module that fails
  // to load is posted as an error, which the merge sees at once.
  const { default: Database } = await import("better-sqlite3");
  const { SnapshotPages } = await import("../../state/snapshot-pages.ts");
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 30000");
  db.exec("BEGIN");
  const pages = new SnapshotPages(db, sync);
  for (let produced = 0; ; produced++) {
    // Back-pressure: never more than AHEAD pages (8,192 entries each) waiting for the merge.
    for (;;) {
      const consumed = Atomics.load(counters, CONSUMED);
      if (produced - consumed < AHEAD) break;
      Atomics.wait(counters, CONSUMED, consumed, 1000);
    }
    const page = pages.read();
    post(page ? { page } : { end: true });
    if (!page) break;
  }
  db.exec("COMMIT");
  db.close();
} catch (error) {
  post({ error: { message: (error as Error).message, code: (error as { code?: string }).code } });
}
