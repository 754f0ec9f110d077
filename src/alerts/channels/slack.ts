import type { ChannelConfig } from "../config.ts";
import type { Notification } from "../notification.ts";
import { truncate } from "../truncate.ts";
import { type Channel, JSON_HEADERS } from "./channel.ts";

type SlackConfig = Extract<ChannelConfig, { type: "slack" }>;

/** Block Kit limits (api.slack.com/reference/block-kit/blocks): longer texts are refused with invalid_blocks. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_MAX = 10;

const ICONS = { critical: "🔴", error: "🔴", warning: "🟠", info: "🔵" } as const;

/**
 * A Slack incoming webhook: `text` (the fallback shown in notifications) and Block Kit
 * `blocks` — a header, the summary, the facts as fields, the error in a code block, and a
 * context line with the rule and the link. Slack answers `200 ok`, or an error code as text.
 */
export function slackChannel(config: SlackConfig): Channel {
  return {
    name: config.name,
    type: "slack",
    timeoutMs: config.timeoutMs,
    requests(notification) {
      return [{ url: config.url, headers: { ...JSON_HEADERS }, body: JSON.stringify(slackMessage(notification)) }];
    },
    refusal(_status, body) {
      return body.trim() === "ok" ? undefined : `Slack answered "${truncate(body.trim(), 200)}" instead of "ok"`;
    },
  };
}

export function slackMessage(n: Notification) {
  const icon = n.kind === "resolved" ? "✅" : n.kind === "test" ? "🧪" : ICONS[n.rule.severity];
  const heading = `${icon} ${n.title}`;
  const blocks: object[] = [
    { type: "header", text: { type: "plain_text", text: truncate(heading, HEADER_MAX - 30), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: truncate(mrkdwn(n.summary), SECTION_MAX - 40) } },
  ];
  const fields = n.facts.slice(0, FIELDS_MAX).map(({ label, value }) => ({
    type: "mrkdwn",
    text: truncate(`*${mrkdwn(label)}*\n${mrkdwn(value)}`, FIELD_MAX - 40),
  }));
  if (fields.length > 0) blocks.push({ type: "section", fields });
  if (n.error) {
    const text = `*Error* \`${mrkdwn(n.error.code)}\`\n\`\`\`${mrkdwn(n.error.message).replaceAll("```", "'''")}\`\`\``;
    blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(text, SECTION_MAX - 40) } });
  }
  const context = [
    `rule \`${mrkdwn(n.rule.name)}\` (${n.rule.type})`,
    `severity ${n.rule.severity}`,
    n.kind === "resolved" ? `firing since ${n.firingSince}, resolved ${n.resolvedAt}` : `since ${n.firingSince}`,
  ];
  if (n.link) context.push(`<${n.link}|${n.run ? "Open the run" : "Open the sync"}>`);
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: truncate(context.join(" · "), SECTION_MAX - 40) }],
  });
  return { text: truncate(`${heading}: ${n.summary}`, SECTION_MAX), blocks };
}

/** Slack's mrkdwn treats &, < and > as control characters (api.slack.com/reference/surfaces/formatting). */
function mrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
