import { total } from "../engine/counts.ts";
import type { Engine, EngineEvents } from "../engine/engine.ts";

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
  engine.on("progress", onProgress);
  return () => {
    engine.off("progress", onProgress);
    stream.write("\r\x1b[2K");
  };
}

function bar(share: number, width = 30): string {
  const filled = Math.round(Math.min(1, share) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}
