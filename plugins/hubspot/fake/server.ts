import { serveFetch } from "syncline/sdk/testing";
import { createHubSpotFake, type HubSpotFake } from "./fake.ts";
import type { HubSpotFakeOptions } from "./options.ts";

export interface HubSpotFakeServer {
  url: string;
  fake: HubSpotFake;
  close(): Promise<void>;
}

/** The fake HubSpot on a real loopback HTTP server (for end-to-end tests and benchmarks). */
export async function startHubSpotFake(options: HubSpotFakeOptions = {}): Promise<HubSpotFakeServer> {
  const fake = createHubSpotFake(options);
  const served = await serveFetch(fake.fetch);
  return { url: served.url, fake, close: served.close };
}
