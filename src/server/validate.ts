import * as v from "valibot";
import { ApiError } from "./errors.ts";
import { issueField, issueMessage, type Where } from "./issues.ts";

/** Validates input against a schema, or throws a 400 that names the field at fault. */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown, where: Where): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = result.issues[0] as v.BaseIssue<unknown>;
  const field = issueField(issue, where);
  throw new ApiError(400, "invalid_input", `${field}: ${issueMessage(issue)}`, { field });
}

/** A JSON body, or `{}` when there is none; anything else that is not JSON is a 400. */
export function jsonBody(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "body: not valid JSON — send a JSON object or no body", {
      field: "body",
    });
  }
}

/** Opaque pagination cursors: base64url of the position, so keys of any shape round-trip. */
export function encodeCursor(position: string): string {
  return Buffer.from(position, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(cursor)) throw badCursor();
  const position = Buffer.from(cursor, "base64url").toString("utf8");
  if (encodeCursor(position) !== cursor) throw badCursor();
  return position;
}

function badCursor(): ApiError {
  return new ApiError(400, "invalid_input", "query.cursor: not a cursor this API returned", { field: "query.cursor" });
}
