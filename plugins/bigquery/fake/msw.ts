import { type HttpHandler, http } from "msw";
import type { BigQueryFake } from "./fake.ts";

export const BIGQUERY_URL = "https://bigquery.googleapis.com";

/**
 * msw handlers for BigQuery's and Google OAuth's real hosts, so the client library runs with
 * its default endpoint and the real google-auth-library token exchange.
 */
export function bigqueryHandlers(fake: BigQueryFake, apiUrl = BIGQUERY_URL): HttpHandler[] {
  return [
    http.post("https://oauth2.googleapis.com/token", ({ request }) => fake.handle(request)),
    http.all(`${apiUrl}/bigquery/v2/*`, ({ request }) => fake.handle(request)),
  ];
}
