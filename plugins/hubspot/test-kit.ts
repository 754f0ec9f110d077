/**
 * What HubSpot's unit suites share: HubSpot's fake behind msw (no port), a destination context,
 * and records and batches built in one line.
 */
import { setupServer } from "msw/node";
import type { DestinationRecord, WriteBatch } from "syncline/sdk";
import { makeDestinationContext } from "syncline/sdk/testing";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createHubSpotFake, type HubSpotFake } from "./fake/fake.ts";
import { hubspotHandlers } from "./fake/handlers.ts";
import { FAKE_TOKEN, type HubSpotFakeOptions } from "./fake/options.ts";
import hubspot from "./index.ts";

export const server = setupServer();

/** The fake the current test talks to (a live binding: `useFake` replaces it). */
export let fake: HubSpotFake;

/** A new fake with `options`, answering every HubSpot URL from now on. */
export function useFake(options: HubSpotFakeOptions = {}): void {
  fake = createHubSpotFake(options);
  server.resetHandlers(...hubspotHandlers(fake));
}

/** Registers the server's hooks (call once at a suite's top level): a fresh default fake per test. */
export function serveHubSpotFake(): void {
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  afterAll(() => server.close());
  beforeEach(() => useFake());
}

export const context = (config: Record<string, unknown> = {}) =>
  makeDestinationContext(hubspot, { accessToken: FAKE_TOKEN, ...config });

export const record = (key: string, fields: DestinationRecord["fields"], remoteId?: string): DestinationRecord => ({
  key,
  keyValues: { id: key },
  fields,
  remoteId,
});

export const batch = (
  records: DestinationRecord[],
  operation: WriteBatch["operation"] = "upsert",
  object = "contacts",
  options = {},
): WriteBatch => ({
  object,
  operation,
  records,
  options,
});
