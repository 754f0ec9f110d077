import * as v from "valibot";
import { secret } from "../sdk/secret.ts";
import { duration } from "./duration.ts";

const url = v.pipe(v.string(), v.url("must be an absolute URL, for example https://hooks.example.com/alerts"));
const timeoutMs = v.optional(v.pipe(v.number(), v.integer(), v.minValue(100)));

/** Each channel type's options; fields marked secret() are redacted everywhere and kept out of state. */
export const CHANNEL_SCHEMAS = {
  /** Any HTTP endpoint: Syncline's own JSON payload, optionally signed like the webhook destination. */
  webhook: v.strictObject({
    type: v.literal("webhook"),
    url,
    /** HMAC-SHA256 key: each request carries `X-Syncline-Signature: t=<unix>,v1=<hex>`. */
    secret: v.optional(v.pipe(v.string(), v.minLength(16, "must be at least 16 characters"), secret())),
    /** Extra headers, for example an Authorization header (values are treated as secrets). */
    headers: v.optional(v.pipe(v.record(v.string(), v.string()), secret())),
    timeoutMs,
  }),
  /** A Slack incoming webhook; its URL is the credential. */
  slack: v.strictObject({ type: v.literal("slack"), url: v.pipe(url, secret()), timeoutMs }),
  /** PagerDuty Events API v2: one incident per alert, resolved by the same dedup_key. */
  pagerduty: v.strictObject({
    type: v.literal("pagerduty"),
    routingKey: v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9]{32}$/, "must be the 32-character integration key of an Events API v2 integration"),
      secret(),
    ),
    /** The Events API endpoint (the EU service region uses events.eu.pagerduty.com). */
    url: v.optional(url),
    timeoutMs,
  }),
} as const;

const channel = v.variant("type", Object.values(CHANNEL_SCHEMAS), "must be one of webhook, slack, pagerduty");

const name = v.pipe(v.string(), v.nonEmpty());
const scope = {
  /** The syncs the rule watches (default: every sync). */
  syncs: v.optional(v.pipe(v.array(name), v.minLength(1, "list at least one sync, or leave `syncs` out for all"))),
  /** The channels it notifies (default: every channel). */
  channels: v.optional(
    v.pipe(v.array(name), v.minLength(1, "list at least one channel, or leave `channels` out for all")),
  ),
  severity: v.optional(
    v.picklist(["critical", "error", "warning", "info"], "must be critical, error, warning or info"),
  ),
};

export const RULE_TYPES = [
  "run_failed",
  "run_partial",
  "rejected_share",
  "stale",
  "slow_run",
  "ledger_age",
  "quota_exhausted",
] as const;

const rule = v.variant(
  "type",
  [
    v.strictObject({ type: v.literal("run_failed"), ...scope }),
    v.strictObject({ type: v.literal("run_partial"), ...scope }),
    v.strictObject({
      type: v.literal("rejected_share"),
      /** Fires when more than this share of a run's records is refused or invalid. */
      percent: v.pipe(v.number(), v.minValue(0), v.maxValue(100)),
      ...scope,
    }),
    v.strictObject({ type: v.literal("stale"), after: duration, ...scope }),
    v.strictObject({ type: v.literal("slow_run"), after: duration, ...scope }),
    v.strictObject({ type: v.literal("ledger_age"), after: duration, ...scope }),
    v.strictObject({ type: v.literal("quota_exhausted"), ...scope }),
  ],
  `must be one of ${RULE_TYPES.join(", ")}`,
);

const ruleName = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be 1–64 letters, digits, '_' or '-', starting with one"),
);

/** `alerts:` in the config (docs/service.md#alerts). */
export const alertsSchema = v.strictObject({
  channels: v.pipe(
    v.record(ruleName, channel),
    v.check((channels) => Object.keys(channels).length > 0, "must define at least one channel"),
  ),
  rules: v.record(ruleName, rule),
  /** How often time-based rules (stale, slow_run, ledger_age) are checked under `serve`. */
  evaluateEvery: v.optional(duration),
});

export type RawAlerts = v.InferOutput<typeof alertsSchema>;
export type RawChannel = RawAlerts["channels"][string];
export type RawRule = RawAlerts["rules"][string];
export type RuleType = RawRule["type"];
export type Severity = NonNullable<RawRule["severity"]>;
