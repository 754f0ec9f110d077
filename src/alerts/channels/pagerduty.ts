import { hostname } from "node:os";
import type { ChannelConfig } from "../config.ts";
import type { Notification } from "../notification.ts";
import { truncate } from "../truncate.ts";
import { type Channel, JSON_HEADERS } from "./channel.ts";

type PagerDutyConfig = Extract<ChannelConfig, { type: "pagerduty" }>;

/** Events API v2 limits (developer.pagerduty.com/docs/events-api-v2/trigger-events). */
const SUMMARY_MAX = 1024;

/**
 * PagerDuty Events API v2: a firing alert is a `trigger` and its resolution a `resolve` with
 * the same `dedup_key`, so one incident opens and closes per (rule, sync). A test is a
 * trigger at severity info, resolved at once. PagerDuty answers 202 `{"status":"success"}`.
 */
export function pagerDutyChannel(config: PagerDutyConfig): Channel {
  const { url } = config;
  const request = (event: object) => ({
    url,
    headers: { ...JSON_HEADERS },
    body: JSON.stringify({ routing_key: config.routingKey, ...event }),
  });
  return {
    name: config.name,
    type: "pagerduty",
    timeoutMs: config.timeoutMs,
    requests(notification) {
      const event = pagerDutyEvent(notification);
      if (notification.kind === "test") return [request(event), request(resolveEvent(notification))];
      return [request(notification.kind === "resolved" ? resolveEvent(notification) : event)];
    },
    refusal(status, body) {
      let parsed: { status?: unknown; message?: unknown } = {};
      try {
        parsed = JSON.parse(body);
      } catch {}
      if (status === 202 && parsed.status === "success") return undefined;
      return `PagerDuty answered ${status} ${truncate(body.trim(), 200)} instead of 202 success`;
    },
  };
}

/** The `trigger` event (without the routing key, which the channel adds). */
export function pagerDutyEvent(n: Notification) {
  return {
    event_action: "trigger",
    dedup_key: n.dedupKey, // syncline/<rule>/<sync>: at most 138 characters of the 255 allowed
    payload: {
      summary: truncate(`${n.title}: ${n.summary}`, SUMMARY_MAX - 30),
      source: n.link ? new URL(n.link).host : hostname(),
      severity: n.kind === "test" ? "info" : n.rule.severity,
      timestamp: n.at,
      component: n.sync ?? "syncline",
      group: "syncline",
      class: n.rule.type,
      custom_details: {
        rule: n.rule.name,
        ...Object.fromEntries(n.facts.map(({ label, value }) => [label, value])),
        ...(n.error ? { error: `${n.error.code}: ${n.error.message}` } : {}),
        firing_since: n.firingSince,
      },
    },
    ...(n.link ? { links: [{ href: n.link, text: n.run ? "The run in Syncline" : "The sync in Syncline" }] } : {}),
    client: "Syncline",
    ...(n.link ? { client_url: new URL(n.link).origin } : {}),
  };
}

function resolveEvent(n: Notification) {
  return { event_action: "resolve", dedup_key: n.dedupKey };
}
