import { readFileSync } from "node:fs";

export interface FileOperation {
  op: "upsert" | "update" | "insert" | "delete";
  key: string;
  fields?: Record<string, unknown>;
  at: string;
}

/** Reads an operation log written by the file destination. */
export function readLog(file: string): FileOperation[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as FileOperation);
}

/** What a destination would hold after applying the log in order: key → fields. */
export function replay(file: string): Map<string, Record<string, unknown>> {
  const state = new Map<string, Record<string, unknown>>();
  for (const operation of readLog(file)) {
    if (operation.op === "delete") state.delete(operation.key);
    else if (operation.op === "update" && !state.has(operation.key)) continue;
    else state.set(operation.key, operation.fields ?? {});
  }
  return state;
}
