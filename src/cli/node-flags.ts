/**
 * V8 flags `syncline` runs with (bin/syncline.js re-executes Node with them, same process).
 *
 * --max-semi-space-size=8: V8's young generation otherwise grows to 3 × 32 MB semi-spaces
 * under Syncline's allocation rate (rows in, JSON out) and the old generation grows with
 * them. Measured on a 1M-row first run (bench/delta): peak RSS 474 MB → 299 MB at the same
 * speed (15.9 s vs 17.5 s). Memory is part of the product: Syncline runs as a sidecar.
 */
export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];

/** The flags to add to this process's: none when the user set the same V8 option. */
export function missingNodeFlags(execArgv: readonly string[], nodeOptions = ""): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)];
  return NODE_FLAGS.filter((flag) => {
    const name = flag.split("=")[0]!;
    return !given.some((arg) => arg === name || arg.startsWith(`${name}=`));
  });
}
