import { describe } from "vitest";
import { DuckDBFileBackend } from "../support/backends.ts";
import { runSemanticsSuite } from "./semantics-suite.ts";
import { warehouseDiffSuite } from "./warehouse-diff-suite.ts";

describe("run semantics — warehouse diff inside DuckDB", () => {
  runSemanticsSuite({ diff: "warehouse" });
});

describe("warehouse mode — DuckDB", () => {
  warehouseDiffSuite(() => new DuckDBFileBackend());
});
