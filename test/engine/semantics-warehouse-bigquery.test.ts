import * as v from "valibot";
import { afterAll, describe } from "vitest";
import { PROJECT, startFakeBigQuery } from "../../plugins/bigquery/fake/setup.ts";
import bigquery from "../../plugins/bigquery/index.ts";
import type { SourceDefinition } from "../../src/sdk/source.ts";
import { FakeBackend } from "../support/fake-backend.ts";
import { runSemanticsSuite } from "./semantics-suite.ts";
import { warehouseDiffSuite } from "./warehouse-diff-suite.ts";

// The generated GoogleSQL, sent by @google-cloud/bigquery to the REST fake (which runs it on DuckDB).
const bigqueryFake = await startFakeBigQuery();
afterAll(() => bigqueryFake.close());
const config = v.parse(bigquery.config, {
  projectId: PROJECT,
  location: "EU",
  credentials: bigqueryFake.keys.reader.json,
});

describe("run semantics — warehouse diff in BigQuery (protocol fake)", () => {
  runSemanticsSuite({
    diff: "warehouse",
    backend: () => new FakeBackend("bigquery", bigqueryFake.fake.store, bigquery as SourceDefinition<unknown>, config),
  });
});

describe("warehouse mode — BigQuery (protocol fake)", () => {
  warehouseDiffSuite(
    () => new FakeBackend("bigquery", bigqueryFake.fake.store, bigquery as SourceDefinition<unknown>, config),
  );
});
