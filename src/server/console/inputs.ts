import type { Context } from "hono";
import * as v from "valibot";
import { RUN_ID, runPath, syncPath } from "../schemas.ts";
import { decodeCursor, parse } from "../validate.ts";
import type { FailureFilter } from "./data.ts";
import { ERROR_CLASSES } from "./views/sync.ts";

/** The longest primary key or filter text the console takes from a query string. */
const MAX_TEXT = 1000;

export function syncParam(c: Context): string {
  return parse(syncPath, c.req.param(), "path").sync;
}

export function runParam(c: Context): string {
  return parse(runPath, c.req.param(), "path").id;
}

/** A free-text query parameter, trimmed and bounded; undefined when empty. */
export function text(c: Context, name: string): string | undefined {
  const value = c.req.query(name)?.trim();
  if (!value) return undefined;
  return parse(v.pipe(v.string(), v.maxLength(MAX_TEXT, `must be at most ${MAX_TEXT} characters`)), value, "query");
}

export function cursor(c: Context, name: string): string | undefined {
  const value = c.req.query(name);
  return value ? decodeCursor(value) : undefined;
}

export function failureFilter(c: Context): FailureFilter {
  const errorClass = c.req.query("class");
  const run = c.req.query("run");
  return {
    text: text(c, "q"),
    errorClass: ERROR_CLASSES.find((known) => known === errorClass),
    runId: run && RUN_ID.test(run) ? run : undefined,
  };
}

/** A checkbox of a submitted form. */
export function checked(form: Record<string, unknown>, name: string): boolean {
  return form[name] === "true" || form[name] === "on";
}
