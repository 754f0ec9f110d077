import { duration, type Engine, type EngineEvents, total } from "../engine/index.ts";

/** A one-line progress display on a TTY (stderr), silent otherwise. */
export function showProgress(engine: Engine, stream: NodeJS.WriteStream = process.stderr): () => void {
  if (!stream.isTTY) return () => {};
  let last = 0;
  const onProgress = ({ phase, counts }: EngineEvents["progress"][0]) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const planned = total(counts.planned);
    const done = total(counts.succeeded) + total(counts.failed);
    const text =
      phase === "planning"
        ? `planning… ${counts.rowsRead.toLocaleString()} rows read`
        : `sending ${bar(planned ? done / planned : 1)} ${done.toLocaleString()}/${planned.toLocaleString()}`;
    stream.write(`\r\x1b[2K${text}`);
  };
  // A long wait holds the line until the next progress, so a quiet run says what it waits for.
  const onWait = (wait: EngineEvents["wait"][0]) => {
    const until = new Date(wait.until).toLocaleTimeString();
    const cause = wait.cause.replace("_", " ");
    stream.write(
      `\r\x1b[2Kwaiting ${duration(wait.ms)} for ${wait.destination} (${cause}: ${wait.message}) until ${until}`,
    );
  };
  engine.on("progress", onProgress);
  engine.on("wait", onWait);
  return () => {
    engine.off("progress", onProgress);
    engine.off("wait", onWait);
    stream.write("\r\x1b[2K");
  };
}

function bar(share: number, width = 30): string {
  const filled = Math.round(Math.min(1, share) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}
