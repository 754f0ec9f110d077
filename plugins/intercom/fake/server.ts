import { serveFetch } from "syncline/sdk/testing";
import { createIntercomFake, type IntercomFake } from "./fake.ts";
import type { IntercomFakeOptions } from "./options.ts";

export interface IntercomFakeServer {
  url: string;
  fake: IntercomFake;
  close(): Promise<void>;
}

/** The fake Intercom on a real loopback HTTP server. */
export async function startIntercomFake(options: IntercomFakeOptions = {}): Promise<IntercomFakeServer> {
  const fake = createIntercomFake(options);
  const served = await serveFetch(fake.fetch);
  return { url: served.url, fake, close: served.close };
}
