import type { RawAlerts } from "./alerts-schema.ts";
import { DEFAULTS } from "./defaults.ts";
import type { ResolvedAlerts, ResolvedChannel, ResolvedRule } from "./resolved.ts";

/** `alerts:` with its defaults: each channel's timeout (and PagerDuty's endpoint), each rule's severity, the evaluation interval. */
export function resolveAlertsConfig(raw: RawAlerts): ResolvedAlerts {
  const channels: Record<string, ResolvedChannel> = {};
  for (const [name, channel] of Object.entries(raw.channels)) {
    const timeoutMs = channel.timeoutMs ?? DEFAULTS.alerts.timeoutMs;
    channels[name] =
      channel.type === "pagerduty"
        ? { ...channel, name, timeoutMs, url: channel.url ?? DEFAULTS.alerts.pagerdutyUrl }
        : { ...channel, name, timeoutMs };
  }
  const rules: Record<string, ResolvedRule> = {};
  for (const [name, rule] of Object.entries(raw.rules)) {
    rules[name] = { ...rule, severity: rule.severity ?? DEFAULTS.alerts.severity };
  }
  return { channels, rules, evaluateEveryMs: raw.evaluateEvery ?? DEFAULTS.alerts.evaluateEveryMs };
}
