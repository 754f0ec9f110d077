import { duckErrorType } from "syncline/sdk/testing";

export interface SnowflakeErrorBody {
  data: {
    internalError: boolean;
    errorCode: string;
    age: number;
    sqlState: string;
    queryId: string;
    line: number;
    pos: number;
    type: string;
  };
  code: string;
  message: string;
  success: false;
}

/**
 * A failed statement as Snowflake reports it: `success: false`, the error code in `code` and
 * `data.errorCode`, the SQLSTATE in `data.sqlState`. DuckDB's error types map onto the codes
 * Snowflake uses for the same failures.
 */
export function queryError(error: unknown, message?: string, sqlState?: string, queryId = ""): SnowflakeErrorBody {
  let code: string;
  let text: string;
  let state: string;
  if (typeof error === "string") {
    code = error;
    text = message ?? "";
    state = sqlState ?? "XX000";
  } else {
    const detail = (error instanceof Error ? error.message : String(error)).replace(/^[A-Za-z ]+ Error: /, "");
    [code, state, text] = mapDuckError(duckErrorType(error), detail);
  }
  return {
    data: {
      internalError: false,
      errorCode: code,
      age: 0,
      sqlState: state,
      queryId,
      line: -1,
      pos: -1,
      type: "COMPILATION",
    },
    code,
    message: text,
    success: false,
  };
}

function mapDuckError(type: string, detail: string): [string, string, string] {
  switch (type) {
    case "Catalog":
      return ["002003", "42S02", `SQL compilation error:\n${detail} (Object does not exist or not authorized.)`];
    case "Parser":
      return ["001003", "42000", `SQL compilation error:\nsyntax error: ${detail}`];
    case "Binder":
      return ["000904", "42000", `SQL compilation error: error line 1 at position 0\ninvalid identifier: ${detail}`];
    case "Conversion":
    case "Out of Range":
    case "Invalid Input":
      return ["100038", "22018", `Numeric value is not recognized: ${detail}`];
    default:
      return ["000603", "XX000", `SQL execution internal error: ${detail}`];
  }
}
