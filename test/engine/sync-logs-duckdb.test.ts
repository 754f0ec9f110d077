import { describe } from "vitest";
import { DuckDBFileBackend } from "../support/backends.ts";
import { syncLogsSuite } from "./sync-logs-suite.ts";

describe("sync logs — DuckDB, diff local", () => syncLogsSuite(() => new DuckDBFileBackend(), "local"));
describe("sync logs — DuckDB, diff in the warehouse", () => syncLogsSuite(() => new DuckDBFileBackend(), "warehouse"));
