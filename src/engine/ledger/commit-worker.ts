/**
 * Worker thread of commit-thread.ts: runs a sync's batch commits and in-doubt markers on its
 * own connection to the state file, one request at a time, each commit in one transaction.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CommitReply, CommitRequest, CommitThreadData } from "./commit-protocol.ts";

const { file, sync, runId } = workerData as CommitThreadData;
/** The writer's heap past which it collects (heap-bound.ts): a few batches' writes fit well within. */
const HEAP_LIMIT = 20 * 1024 * 1024;
const port = parentPort!;
const failure = (error: unknown): CommitReply["error"] => ({
  message: (error as Error).message,
  code: (error as { code?: string }).code,
});

try {
  // Loaded inside the try (commit-protocol.ts imports types only): a driver or module that fails
  // to load is posted as a failure, which the run sees at its next request.
  const { connectStateFile } = await import("../../state/connection.ts");
  const { commitWriter, replayWrites } = await import("../../state/commit-writes.ts");
  const db = connectStateFile(file);
  const writer = commitWriter(db, sync, runId);
  const write = db.transaction((request: Extract<CommitRequest, { kind: "write" }>) =>
    replayWrites(writer, request.ops),
  );
  const { heapBound } = await import("./heap-bound.ts");
  const keepHeapSmall = heapBound(HEAP_LIMIT);
  port.on("message", (request: CommitRequest) => {
    let reply: CommitReply;
    try {
      if (request.kind === "mark") {
        reply = { id: request.id, marker: writer.markers.mark(request.textKeys, request.jsonKeys, request.at) };
      } else if (request.kind === "write") {
        write(request);
        reply = { id: request.id };
      } else {
        db.close();
        process.exit(0); // ends this thread only: every request before this one was answered
      }
    } catch (error) {
      reply = { id: request.id, error: failure(error) };
    }
    port.postMessage(reply);
    // After the reply: the run's thread goes on while this one collects.
    if (request.kind === "write") keepHeapSmall();
  });
} catch (error) {
  port.postMessage({ id: 0, error: failure(error) } satisfies CommitReply);
}
