import type { ChannelConfig } from "../config.ts";
import type { Channel } from "./channel.ts";
import { pagerDutyChannel } from "./pagerduty.ts";
import { slackChannel } from "./slack.ts";
import { webhookChannel } from "./webhook.ts";

export type { Channel } from "./channel.ts";

export function createChannel(config: ChannelConfig): Channel {
  switch (config.type) {
    case "webhook":
      return webhookChannel(config);
    case "slack":
      return slackChannel(config);
    case "pagerduty":
      return pagerDutyChannel(config);
  }
}
