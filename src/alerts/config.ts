import { CHANNEL_SCHEMAS, type RuleType, type Severity } from "../config/alerts-schema.ts";
import { suggest } from "../config/issues.ts";
import type { ResolvedAlerts, ResolvedChannel } from "../config/resolved.ts";
import { secretValues } from "../sdk/secret.ts";

export type ChannelConfig = ResolvedChannel;

/** A rule with its scope resolved: the syncs it watches and the channels it tells. */
export interface AlertRule {
  name: string;
  type: RuleType;
  syncs: string[];
  channels: string[];
  severity: Severity;
  /** rejected_share: fires above this percentage. */
  percent?: number;
  /** stale, slow_run, ledger_age: the time threshold. */
  afterMs?: number;
}

export interface AlertsConfig {
  channels: Map<string, ChannelConfig>;
  rules: AlertRule[];
  evaluateEveryMs: number;
  /** The service's public URL, for links in notifications. */
  publicUrl?: string | undefined;
}

/**
 * Resolves `alerts:` (its defaults applied: src/config/resolve-alerts.ts) once at start: every sync and channel a rule names
 * checked (problems get the path at fault and a "did you mean"), channel secrets collected
 * for redaction.
 */
export function resolveAlerts(
  raw: ResolvedAlerts | undefined,
  context: { syncs: readonly string[]; publicUrl?: string | undefined },
  problems: string[],
  secrets: Set<string>,
): AlertsConfig | undefined {
  if (!raw) return undefined;
  const channels = new Map<string, ChannelConfig>();
  for (const [name, channel] of Object.entries(raw.channels)) {
    for (const value of secretValues(CHANNEL_SCHEMAS[channel.type], channel)) secrets.add(value);
    channels.set(name, channel);
  }
  const rules: AlertRule[] = [];
  for (const [name, rule] of Object.entries(raw.rules)) {
    const at = `alerts.rules.${name}`;
    const syncs = rule.syncs ?? [...context.syncs];
    const ruleChannels = rule.channels ?? [...channels.keys()];
    checkNames(syncs, context.syncs, `${at}.syncs`, "sync", "syncs", problems);
    checkNames(ruleChannels, [...channels.keys()], `${at}.channels`, "channel", "alerts.channels", problems);
    rules.push({
      name,
      type: rule.type,
      syncs,
      channels: ruleChannels,
      severity: rule.severity,
      ...("percent" in rule ? { percent: rule.percent } : {}),
      ...("after" in rule ? { afterMs: rule.after } : {}),
    });
  }
  return {
    channels,
    rules,
    evaluateEveryMs: raw.evaluateEveryMs,
    publicUrl: context.publicUrl?.replace(/\/+$/, ""),
  };
}

function checkNames(
  names: readonly string[],
  known: readonly string[],
  at: string,
  what: string,
  where: string,
  problems: string[],
): void {
  names.forEach((name, index) => {
    if (known.includes(name)) return;
    const hint = suggest(name, known);
    problems.push(
      `${at}.${index}: unknown ${what} "${name}" — ${hint ? `did you mean "${hint}"?` : `defined under ${where}: ${known.join(", ") || "none"}`}`,
    );
  });
}
