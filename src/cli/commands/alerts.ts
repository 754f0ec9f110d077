import Table from "cli-table3";
import { createChannel } from "../../alerts/channels/index.ts";
import { createSender, SEND_RETRIES } from "../../alerts/deliver.ts";
import { sendTests } from "../../alerts/test-notification.ts";
import { loadConfig } from "../../host/load-config.ts";
import { makeRedactor } from "../../host/redact.ts";
import { ConfigurationError } from "../../sdk/errors/configuration-error.ts";
import type { CliOptions } from "../options.ts";

/**
 * `syncline alerts test`: sends a test notification to every configured channel (or the one
 * named by --channel) and prints, per channel, whether the service accepted it. Exit 0 when
 * every channel accepted, 1 otherwise. Needs no state: nothing is recorded.
 */
export async function runAlerts(action: string, options: CliOptions & { channel?: string | undefined }) {
  if (action !== "test") {
    throw new ConfigurationError(`unknown alerts action "${action}"`, {
      code: "usage",
      fix: "use: syncline alerts test",
    });
  }
  const config = await loadConfig(options.config);
  const configured = [...(config.alerts?.channels.values() ?? [])];
  if (configured.length === 0) {
    throw new ConfigurationError("no alert channels are configured", {
      code: "usage",
      fix: "add alerts.channels to the config (see docs/service.md#alerts)",
    });
  }
  const chosen = options.channel ? configured.filter((channel) => channel.name === options.channel) : configured;
  if (chosen.length === 0) {
    throw new ConfigurationError(`unknown alert channel "${options.channel}"`, {
      code: "usage",
      fix: `configured channels: ${configured.map((channel) => channel.name).join(", ")}`,
    });
  }
  const send = createSender({ ...SEND_RETRIES, retries: 2, redact: makeRedactor(config.secrets) });
  const results = await sendTests(chosen.map(createChannel), send, config.alerts?.publicUrl);
  const table = new Table({ head: ["channel", "type", "result"], style: { head: [], border: [] } });
  for (const { channel, delivery } of results) {
    const tries = `${delivery.requests} request${delivery.requests === 1 ? "" : "s"}`;
    table.push([
      channel.name,
      channel.type,
      delivery.accepted ? `accepted (${tries})` : `FAILED after ${tries}: ${delivery.message}`,
    ]);
  }
  process.stdout.write(`${table.toString()}\n`);
  return results.every(({ delivery }) => delivery.accepted) ? 0 : 1;
}
