/**
 * V8 flags `syncline` runs with (bin/syncline.js re-executes Node with them, same process).
 *
 * --max-semi-space-size=16: under Syncline's allocation rate (rows in, JSON out) V8 otherwise
 * grows the young generation to its largest semi-spaces, and the old generation with them.
 * Smaller semi-spaces let a chunk's rows survive into the old generation and cost more
 * collector time than they save memory. Memory is part of the product (Syncline runs as a
 * sidecar), and so is the first run's time: 16 is where both were measured best.
 *
 * --heap-growing-percent=20: after each full GC, V8 lets the old generation grow to 1.2× what
 * survived instead of its dynamic factor (up to 4× on a small heap), with no hard cap, so a
 * large batch can still use what it needs. Syncline's live heap is small while it plans, so
 * full GCs stay cheap.
 *
 * The measurements behind both are in BENCHMARKS.md ("What the profile showed").
 */
export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=16", "--heap-growing-percent=20"];

/**
 * Environment `syncline` runs with, unless the user set the same variable.
 *
 * MALLOC_ARENA_MAX=2: the C library gives every thread that allocates (libuv's pool, which
 * runs DuckDB and SQLite calls, V8's helpers, the snapshot reader) an arena of its own, and
 * each keeps what it freed. Two arenas lower the peak at the same speed (BENCHMARKS.md).
 */
export const NODE_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };

/** The flags to add to this process's: none when the user set the same V8 option. */
export function missingNodeFlags(execArgv: readonly string[], nodeOptions = ""): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)];
  return NODE_FLAGS.filter((flag) => {
    const name = flag.split("=")[0]!;
    return !given.some((arg) => arg === name || arg.startsWith(`${name}=`));
  });
}

/** The variables of NODE_ENV this environment lacks (a variable the user set is kept). */
export function missingNodeEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(NODE_ENV).filter(([name]) => env[name] === undefined));
}
