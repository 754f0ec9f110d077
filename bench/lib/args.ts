export interface BenchArgs {
  quick: boolean;
  /** Scenarios to run (all when empty). */
  only: Set<string>;
  /** Repetitions per measurement (the figures are their medians). */
  repeat: number;
  /** Row counts for the delta scenario. */
  sizes: number[];
  /** Write a CPU profile of each second run (node --cpu-prof) to bench/.work/profiles. */
  profile: boolean;
  /** The delta scenario's DuckDB `memoryLimit`; by default none is set (Syncline's own budget). */
  memoryLimit?: string;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const quick = flag("quick");
  const sizes = value("sizes")
    ?.split(",")
    .map((s) => Number(s.replace(/k$/i, "000").replace(/m$/i, "000000")));
  return {
    quick,
    only: new Set(value("only")?.split(",") ?? []),
    repeat: Number(value("repeat") ?? (quick ? 1 : 3)),
    sizes: sizes ?? (quick ? [100_000] : [100_000, 1_000_000, 10_000_000]),
    profile: flag("profile"),
    memoryLimit: value("memory-limit"),
  };
}
