import type { Channel } from "./channels/index.ts";
import type { Delivery, Send } from "./deliver.ts";
import { type Notification, notificationId } from "./notification.ts";

/** A notification that says it is a test, for `syncline alerts test`. */
export function testNotification(channel: Channel, publicUrl?: string | undefined, now = Date.now()): Notification {
  const at = new Date(now).toISOString();
  const id = notificationId(now);
  return {
    version: 1,
    id,
    kind: "test",
    // Unique per test, so a PagerDuty test opens (and resolves) an incident of its own.
    dedupKey: `syncline/test/${id}`,
    rule: { name: "test", type: "test", severity: "info" },
    sync: null,
    title: `Test notification — ${channel.name}`,
    summary: `Syncline can reach the ${channel.type} channel "${channel.name}". Alerts will arrive here.`,
    facts: [{ label: "Channel", value: `${channel.name} (${channel.type})` }],
    run: null,
    error: null,
    firingSince: at,
    resolvedAt: null,
    at,
    link: publicUrl ? `${publicUrl}/v1/syncs` : null,
  };
}

/** Sends a test to each channel, all at once; one result per channel, in the given order. */
export async function sendTests(
  channels: readonly Channel[],
  send: Send,
  publicUrl?: string | undefined,
): Promise<Array<{ channel: Channel; delivery: Delivery }>> {
  return Promise.all(
    channels.map(async (channel) => ({ channel, delivery: await send(channel, testNotification(channel, publicUrl)) })),
  );
}
