import { serveFetch } from "syncline/sdk/testing";
import { createSalesforceFake, type SalesforceFake } from "./fake.ts";
import type { SalesforceFakeOptions } from "./options.ts";

export interface SalesforceFakeServer {
  /** Both the login URL (token endpoint) and the instance URL the tokens name. */
  url: string;
  fake: SalesforceFake;
  close(): Promise<void>;
}

/** The fake org on a real loopback HTTP server. */
export async function startSalesforceFake(options: SalesforceFakeOptions = {}): Promise<SalesforceFakeServer> {
  const fake = createSalesforceFake(options);
  const served = await serveFetch(fake.fetch);
  return { url: served.url, fake, close: served.close };
}
