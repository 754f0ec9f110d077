/**
 * V8 flags `syncline` runs with (bin/syncline.js re-executes Node with them, same process).
 *
 * --max-semi-space-size=16: V8's young generation otherwise grows to 3 × 32 MB semi-spaces
 * under Syncline's allocation rate (rows in, JSON out) and the old generation grows with
 * them: 1M-row first run (bench/delta) 474 MB at the default, 283 MB at 32. Below 16 MB a
 * chunk's rows no longer die young: at 4 MB the same run spent 5.8 s of 33 s in the garbage
 * collector and took 40–41 s of CPU (8 MB: 38–40 s) against 29–33 s at 16 (12 MB: 32 s),
 * for 15 MB less (222 vs 238 MB). The 10M-row second run peaks 6–9 MB higher at 16 than
 * at 4 (278–284 vs 269–278 MB, single runs). Memory is part of the product (Syncline runs
 * as a sidecar), and so is the first run's time.
 *
 * --heap-growing-percent=20: after each full GC, V8 lets the old generation grow to 1.2× what
 * survived instead of its dynamic factor (up to 4× on a small heap), with no hard cap, so a
 * large batch can still use what it needs. Syncline's live heap is small (about 30 MB while
 * planning 10M rows), so full GCs stay cheap. Measured (bench/delta): 1M-row first run
 * 300 → 240 MB at the same speed; 10M-row second run 398 → 350 MB (JS heap 88 → 44 MB).
 */
export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=16", "--heap-growing-percent=20"];

/**
 * Environment `syncline` runs with, unless the user set the same variable.
 *
 * MALLOC_ARENA_MAX=2: the C library gives every thread that allocates (libuv's pool, which
 * runs DuckDB and SQLite calls, V8's helpers, the snapshot reader) an arena of its own, and
 * each keeps what it freed. Two arenas: 10M-row second run 298 → 284 MB (single runs), 1M-row
 * first run 228 → 211 MB at the same speed (bench/delta, medians of 3 within noise).
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
