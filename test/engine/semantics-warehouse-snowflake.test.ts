import * as v from "valibot";
import { afterAll, describe } from "vitest";
import { baseConfig, startFakeSnowflake } from "../../plugins/snowflake/fake/setup.ts";
import snowflake from "../../plugins/snowflake/index.ts";
import type { SourceDefinition } from "../../src/sdk/source.ts";
import { FakeBackend } from "../support/fake-backend.ts";
import { runSemanticsSuite } from "./semantics-suite.ts";
import { warehouseDiffSuite } from "./warehouse-diff-suite.ts";

// The generated Snowflake SQL, sent by the real snowflake-sdk to the protocol fake (which runs it on DuckDB).
const snowflakeFake = await startFakeSnowflake();
afterAll(() => snowflakeFake.close());
const config = v.parse(snowflake.config, baseConfig);

describe("run semantics — warehouse diff in Snowflake (protocol fake)", () => {
  runSemanticsSuite({
    diff: "warehouse",
    backend: () =>
      new FakeBackend("snowflake", snowflakeFake.fake.store, snowflake as SourceDefinition<unknown>, config),
  });
});

describe("warehouse mode — Snowflake (protocol fake)", () => {
  warehouseDiffSuite(
    () => new FakeBackend("snowflake", snowflakeFake.fake.store, snowflake as SourceDefinition<unknown>, config),
  );
});
