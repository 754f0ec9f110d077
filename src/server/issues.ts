import type * as v from "valibot";

export type Where = "body" | "query" | "path" | "header";

/** Where a valibot issue points, as the caller wrote it: `body.fullResync`, `query.limit`. */
export function issueField(issue: v.BaseIssue<unknown>, where: Where): string {
  const keys = (issue.path ?? []).map((item) => String(item.key));
  return [where, ...keys].join(".");
}

/** The issue's message, worded for an API caller. */
export function issueMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.type === "strict_object" && issue.expected === "never") return "unknown field";
  return issue.message;
}
