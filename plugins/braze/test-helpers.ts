// Shared setup of the Braze unit tests: the fake behind msw, a context like the engine's, and
// record builders.
import { setupServer } from "msw/node";
import type { DestinationRecord, WriteBatch } from "syncline/sdk";
import { makeDestinationContext } from "syncline/sdk/testing";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type BrazeFake, createBrazeFake } from "./fake/fake.ts";
import { brazeHandlers } from "./fake/handlers.ts";
import { type BrazeFakeOptions, FAKE_API_KEY } from "./fake/options.ts";
import braze from "./index.ts";

export const server = setupServer();
export let fake: BrazeFake;

/** Registers the msw server and a fresh fake before each test of the calling file. */
export function useBrazeServer(): void {
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  afterAll(() => server.close());
  beforeEach(() => useFake());
}

export function useFake(options: BrazeFakeOptions = {}): void {
  fake = createBrazeFake(options);
  server.resetHandlers(...brazeHandlers(fake));
}

/** Answers every call with this status and body (and headers) instead of the fake. */
export function answerWith(status: number, body: unknown, headers: Record<string, string> = {}): void {
  server.resetHandlers(
    ...brazeHandlers({ ...fake, fetch: async () => new Response(JSON.stringify(body), { status, headers }) }),
  );
}

export const context = (config: Record<string, unknown> = {}) =>
  makeDestinationContext(braze, { apiKey: FAKE_API_KEY, ...config });

export const record = (key: string, fields: DestinationRecord["fields"], remoteId?: string): DestinationRecord => ({
  key,
  keyValues: { id: key },
  fields,
  remoteId,
});

export const write = (
  records: DestinationRecord[],
  operation: WriteBatch["operation"] = "upsert",
  options: Record<string, unknown> = {},
  ctx = context(),
) => braze.write(ctx, { object: "users", operation, records, options });

/** Users u<from>… u<from+count-1>, keyed by their number. */
export const people = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => record(String(from + i), { external_id: `u${from + i}`, first_name: "F" }));

export const held = () => fake.records().map((user) => user.external_id ?? user.user_aliases[0]?.alias_name);
