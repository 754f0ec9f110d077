import { type HttpHandler, http } from "msw";
import type { SnowflakeFake } from "./fake.ts";

/**
 * msw handlers that route every request for a Snowflake account URL (for example
 * `https://xy12345.snowflakecomputing.com`) to the fake, so the real driver's HTTP client
 * is exercised end to end.
 */
export function snowflakeHandlers(fake: SnowflakeFake, accountUrl: string): HttpHandler[] {
  return [http.all(`${accountUrl.replace(/\/$/, "")}/*`, ({ request }) => fake.handle(request))];
}
