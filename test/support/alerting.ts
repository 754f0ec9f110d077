import * as v from "valibot";
import { Alerting } from "../../src/alerts/alerting.ts";
import { resolveAlerts } from "../../src/alerts/config.ts";
import { alertsSchema } from "../../src/config/alerts-schema.ts";
import { resolveAlertsConfig } from "../../src/config/resolve-alerts.ts";
import type { Engine } from "../../src/engine/run/engine.ts";
import { createLogger } from "../../src/host/logger.ts";
import { makeRedactor } from "../../src/host/redact.ts";
import type { StateDatabase } from "../../src/state/database.ts";

/**
 * Alerting for tests, built the way the host builds it: the raw `alerts:` section checked by
 * the config schema and resolved, secrets collected for redaction, and a logger whose lines
 * (already redacted, as written) the test reads.
 */
export function testAlerting(options: {
  raw: unknown;
  engine: Engine;
  state: StateDatabase;
  syncs?: string[];
  publicUrl?: string;
  extraSecrets?: string[];
  now?: () => number;
}) {
  const problems: string[] = [];
  const secrets = new Set(options.extraSecrets ?? []);
  const config = resolveAlerts(
    resolveAlertsConfig(v.parse(alertsSchema, options.raw)),
    { syncs: options.syncs ?? ["people"], publicUrl: options.publicUrl },
    problems,
    secrets,
  );
  if (problems.length > 0 || !config) throw new Error(problems.join("\n"));
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", secrets, write: (line) => lines.push(line) });
  const alerting = new Alerting({
    config,
    db: options.state.sqlite,
    engine: options.engine,
    redact: makeRedactor(secrets),
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  const logs = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string; [key: string]: unknown });
  return { alerting, config, logs, lines };
}
