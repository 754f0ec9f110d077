import { createHmac } from "node:crypto";

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: how Syncline signs what it sends
 * (alert webhooks) and what it accepts (signed triggers), the format Stripe-style receivers expect.
 */
export function sign(secret: string, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}
