import type { DestinationDefinition, DestinationRecord, Operation } from "../destination.ts";

/** A running fake (or real sandbox) the contract is checked against. */
export interface ContractServer {
  url: string;
  close(): Promise<void>;
}

export interface DestinationContractOptions<TConfig, TServer extends ContractServer = ContractServer> {
  /** Suite title (defaults to the plugin's name). */
  name?: string;
  plugin: DestinationDefinition<TConfig>;
  /** A working config, without `baseUrl` (the kit points it at the server). */
  config: Record<string, unknown>;
  /** The same config with a wrong credential: `check()` must throw a ConfigurationError. */
  badConfig: Record<string, unknown>;
  /** Starts a fresh server for the suite (a loopback fake). Either this or `baseUrl`. */
  makeServer?: () => Promise<TServer>;
  /** A server that is already running (or intercepted). */
  baseUrl?: string;
  /** The destination object to write, for example `contacts`. */
  object: string;
  syncOptions?: Record<string, unknown>;
  /** The operation the sample records are written with (default `upsert`). */
  operation?: Exclude<Operation, "delete">;
  /** A few valid records; every one must come back `ok`. */
  sampleRecords: DestinationRecord[];
  /** Makes the i-th valid record (distinct keys), for the full-size batch. */
  makeRecord: (index: number) => DestinationRecord;
  /**
   * What the destination holds in `object`: one identity per stored record (for example
   * its external id or email). Enables the idempotency and delete read-back checks.
   */
  readBack?: (server: TServer | undefined) => Promise<string[]>;
  /** The identity `readBack` reports for a record (default: `record.key`). */
  identify?: (record: DestinationRecord) => string;
  /** Config fields that must be marked `secret()`. */
  secrets?: string[];
  /**
   * `false` for a destination that is not an HTTP API (a database table): no `baseUrl` is
   * injected into its config, no server is needed, and the HTTP status checks (503, 429,
   * 400) do not apply. Default `true`.
   */
  http?: boolean;
  /** With `http: false`: a working config pointed at a port nothing listens on. */
  unreachableConfig?: Record<string, unknown>;
}
