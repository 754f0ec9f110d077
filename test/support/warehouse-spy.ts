import type { SourceDefinition, WarehouseAccess } from "../../src/sdk/source.ts";
import type { CanonicalRow } from "../../src/sdk/values.ts";

export interface QueryLog {
  sql: string;
  rows: number;
}

/**
 * Wraps a source's warehouse access to record every query with the rows it streamed out of
 * the warehouse, and every statement list executed; `failExecute` may throw to inject faults.
 */
export class WarehouseSpy {
  readonly queries: QueryLog[] = [];
  readonly executed: string[][] = [];
  failExecute: (statements: readonly string[]) => void = () => {};
  /** Called after statements ran (they are committed): throw to simulate a crash right after. */
  afterExecute: (statements: readonly string[]) => void = () => {};

  wrap = (plugin: SourceDefinition<unknown>): SourceDefinition<unknown> => {
    const access = plugin.warehouse;
    if (!access) return plugin;
    const spy = this;
    const wrapped: WarehouseAccess<unknown> = {
      ...access,
      async execute(ctx, statements) {
        spy.failExecute(statements);
        spy.executed.push([...statements]);
        await access.execute(ctx, statements);
        spy.afterExecute(statements);
      },
      async *query(ctx, sql, options) {
        const log = { sql, rows: 0 };
        spy.queries.push(log);
        for await (const rows of access.query(ctx, sql, options) as AsyncIterable<CanonicalRow[]>) {
          log.rows += rows.length;
          yield rows;
        }
      },
    };
    return { ...plugin, warehouse: wrapped };
  };

  /** Rows the delta queries of the runs since `from` streamed out. */
  deltaRows(from = 0): number {
    return this.queries
      .slice(from)
      .filter((q) => q.sql.includes("FULL OUTER JOIN"))
      .reduce((sum, q) => sum + q.rows, 0);
  }

  ranDuplicateCheck(from = 0): boolean {
    return this.queries.slice(from).some((q) => q.sql.includes("HAVING COUNT(*) > 1"));
  }
}
