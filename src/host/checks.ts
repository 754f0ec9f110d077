import { contextFor, type DiscoverCache, mappingReport, sourceContext, verifyModelColumns } from "../engine/index.ts";
import { classify } from "../sdk/errors/classify.ts";
import type { Logger } from "../sdk/logger.ts";
import type { LoadedConfig } from "./loaded-config.ts";
import { makeRedactor } from "./redact.ts";

export interface CheckResult {
  kind: "source" | "destination" | "sync" | "mapping";
  name: string;
  type: string;
  /** Why it failed, with every secret masked; undefined when it passed. */
  problem?: string | undefined;
  /** What passed with a remark (values a run converts, a mapping left unchecked). */
  notes?: string[] | undefined;
}

/**
 * What `syncline check` verifies beyond the config itself: every source and destination
 * connects (its plugin's `check`), and every sync's model has its primary key and mapped
 * columns (the source's `columns()`, a zero-row query), and — where the destination can
 * describe its fields — every mapped field exists, takes the column's type, and every field it
 * requires is mapped. A destination's answer can echo its credential, so every problem is
 * masked before anyone sees it.
 */
export async function runChecks(config: LoadedConfig, logger: Logger, signal: AbortSignal): Promise<CheckResult[]> {
  const redact = makeRedactor(config.secrets);
  const results: CheckResult[] = [];
  const attempt = async (result: Omit<CheckResult, "problem">, check: () => Promise<void>) => {
    try {
      await check();
      results.push(result);
    } catch (error) {
      results.push({ ...result, problem: redact(classify(error).describe()) });
    }
  };
  for (const source of config.sources.values()) {
    await attempt({ kind: "source", name: source.name, type: source.type }, () =>
      source.plugin.check(sourceContext(source, logger, signal)),
    );
  }
  for (const destination of config.destinations.values()) {
    await attempt({ kind: "destination", name: destination.name, type: destination.type }, () =>
      destination.plugin.check(contextFor(destination, logger, signal)),
    );
  }
  for (const { spec, source } of config.syncs.values()) {
    await attempt({ kind: "sync", name: spec.name, type: `${source.name} → ${spec.object}` }, () =>
      verifyModelColumns(source, spec, logger, signal),
    );
  }
  const described: DiscoverCache = new Map();
  for (const sync of config.syncs.values()) {
    const report = await mappingReport(sync, logger, signal, described);
    if (!report) continue;
    results.push({
      kind: "mapping",
      name: sync.spec.name,
      type: `${sync.destination.name} ${sync.spec.object}`,
      problem: report.problems.length > 0 ? redact(report.problems.join("\n")) : undefined,
      ...(report.notes.length > 0 ? { notes: report.notes.map(redact) } : {}),
    });
  }
  return results;
}
