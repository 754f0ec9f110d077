/**
 * Syncline's plugin test kit: the destination contract, a context factory like the
 * engine's, and building blocks for faithful fakes. Import it as `syncline/sdk/testing`.
 */
export {
  makeDestinationContext,
  parseDestinationConfig,
  type RecordedPause,
  resolveCapabilities,
  type TestContextOptions,
  type TestDestinationContext,
} from "./context.ts";
export { runDestinationContract } from "./contract.ts";
export type { ContractServer, DestinationContractOptions } from "./contract-options.ts";
export {
  duckdbOrderedKeysSql,
  duckdbOrderedTypesSql,
  duckdbPeopleSql,
  duckdbSeriesSql,
  duckdbTypesSql,
  ORDERED_TYPE_COLUMNS,
} from "./duckdb-fixtures.ts";
export { DuckStore, duckErrorType, quote, type StoredResult } from "./duckdb-store.ts";
export { type FakeCall, type FakeCounters, FakeRecorder, type FakeWrite } from "./fake-recorder.ts";
export { type Fault, FaultQueue, sleep } from "./faults.ts";
export { type OrderedHashCheck, orderedHashCheck } from "./ordered-hash-check.ts";
export { type OrderedReadSuiteOptions, runOrderedReadSuite } from "./ordered-read-suite.ts";
export { fieldBytes, notOk, outcomeProblems } from "./outcome-checks.ts";
export { fixedWindow, type RateWindow, slidingWindow, type WindowDecision } from "./rate-window.ts";
export { rejection } from "./rejection.ts";
export { type FetchHandler, type ServedFetch, serveFetch } from "./serve.ts";
export {
  PEOPLE,
  PEOPLE_CANONICAL,
  runSourceContract,
  type SourceContractOptions,
  TYPE_CASES,
  type TypeColumn,
} from "./source-contract.ts";
export { deadUrl, serveStatus } from "./status-server.ts";
