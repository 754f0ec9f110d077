import { ConfigurationError, type SynclineError, TransientError } from "syncline/sdk";

/** The code of a query that needed more memory than DuckDB's limit allowed. */
export const OUT_OF_MEMORY = "duckdb_out_of_memory";

/**
 * DuckDB reports errors as one Error class whose message starts with the error type
 * ("Catalog Error:", "Parser Error:", "Binder Error:" …); that prefix is DuckDB's error
 * type code, so it is what we classify by.
 */
export function classifyDuckDBError(error: unknown, what: string, signal?: AbortSignal): SynclineError {
  if (signal?.aborted) return new TransientError(`${what} was cancelled`, { code: "cancelled", cause: error });
  const message = error instanceof Error ? error.message : String(error);
  const type = /^([A-Za-z ]+) Error:/.exec(message)?.[1] ?? "";
  if (type === "INTERRUPT" || type === "Interrupt") {
    return new TransientError(`${what} was interrupted`, { code: "cancelled", cause: error });
  }
  if (type === "Out of Memory") {
    return new TransientError(`${what} failed: ${message}`, { code: OUT_OF_MEMORY, cause: error });
  }
  if (type === "IO") {
    return new TransientError(`${what} failed: ${message}`, { code: "duckdb_io", cause: error });
  }
  return new ConfigurationError(`${what} failed: ${message}`, {
    code: "model_error",
    fix: "correct the model's SQL or table name and the mapped column names",
    cause: error,
  });
}
