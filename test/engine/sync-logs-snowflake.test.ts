import * as v from "valibot";
import { afterAll, describe } from "vitest";
import { baseConfig, startFakeSnowflake } from "../../plugins/snowflake/fake/setup.ts";
import snowflake from "../../plugins/snowflake/index.ts";
import type { SourceDefinition } from "../../src/sdk/source.ts";
import { FakeBackend } from "../support/fake-backend.ts";
import { syncLogsSuite } from "./sync-logs-suite.ts";

// The generated SQL, sent by the real snowflake-sdk (array-bind bulk inserts) to the protocol
// fake, which runs it on DuckDB.
const snowflakeFake = await startFakeSnowflake();
afterAll(() => snowflakeFake.close());
const config = v.parse(snowflake.config, baseConfig);
const backend = () =>
  new FakeBackend("snowflake", snowflakeFake.fake.store, snowflake as SourceDefinition<unknown>, config);

describe("sync logs — Snowflake (protocol fake), diff local", () => syncLogsSuite(backend, "local"));
describe("sync logs — Snowflake (protocol fake), diff in the warehouse", () => syncLogsSuite(backend, "warehouse"));
