import { serveFetch } from "syncline/sdk/testing";
import { type BrazeFake, createBrazeFake } from "./fake.ts";
import type { BrazeFakeOptions } from "./options.ts";

export interface BrazeFakeServer {
  url: string;
  fake: BrazeFake;
  close(): Promise<void>;
}

/** The fake Braze on a real loopback HTTP server. */
export async function startBrazeFake(options: BrazeFakeOptions = {}): Promise<BrazeFakeServer> {
  const fake = createBrazeFake(options);
  const served = await serveFetch(fake.fetch);
  return { url: served.url, fake, close: served.close };
}
