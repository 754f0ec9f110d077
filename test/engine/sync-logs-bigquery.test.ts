import * as v from "valibot";
import { afterAll, describe } from "vitest";
import { PROJECT, startFakeBigQuery } from "../../plugins/bigquery/fake/setup.ts";
import bigquery from "../../plugins/bigquery/index.ts";
import type { SourceDefinition } from "../../src/sdk/source.ts";
import { FakeBackend } from "../support/fake-backend.ts";
import { syncLogsSuite } from "./sync-logs-suite.ts";

// The generated GoogleSQL, sent by @google-cloud/bigquery (multi-row INSERT scripts: the
// plugin has no bulk load) to the REST fake, which runs it on DuckDB.
const bigqueryFake = await startFakeBigQuery();
afterAll(() => bigqueryFake.close());
const config = v.parse(bigquery.config, {
  projectId: PROJECT,
  location: "EU",
  credentials: bigqueryFake.keys.reader.json,
});
const backend = () =>
  new FakeBackend("bigquery", bigqueryFake.fake.store, bigquery as SourceDefinition<unknown>, config);

describe("sync logs — BigQuery (protocol fake), diff local", () => syncLogsSuite(backend, "local"));
describe("sync logs — BigQuery (protocol fake), diff in the warehouse", () => syncLogsSuite(backend, "warehouse"));
