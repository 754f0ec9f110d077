import type { Notification } from "../notification.ts";

/** One HTTP request that carries (part of) a notification. */
export interface ChannelRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A place notifications go. It renders a notification in its service's format and judges the
 * answer: only what the service confirms counts as delivered.
 */
export interface Channel {
  readonly name: string;
  readonly type: string;
  readonly timeoutMs: number;
  /** The requests that deliver it, sent in order (PagerDuty's test is a trigger, then its resolve). */
  requests(notification: Notification): ChannelRequest[];
  /** Undefined when the service accepted a 2xx answer; otherwise why it did not. */
  refusal(status: number, body: string): string | undefined;
}

export const JSON_HEADERS = { "content-type": "application/json", "user-agent": "syncline-alerts" } as const;
