import type * as v from "valibot";

/** What each field is, so a missing one can say what to put there. */
const FIELD_HELP: Record<string, string> = {
  source: "the name of an entry under `sources`",
  destination: "the name of an entry under `destinations`",
  model: "the query to sync: { sql: ... }, { table: ... } or { dbt: ... }",
  primaryKey: "the column that identifies a record",
  object: "the destination object to write, for example `contacts`",
  mapping: "destination field → model column",
  type: "which connector this is, for example `duckdb`, `postgres`, `webhook`, `hubspot`",
  sources: "the warehouses to read from",
  destinations: "the tools to write to",
  syncs: "what to sync from where to where",
  after: 'how long, for example "30m", "2h" or "3d"',
  percent: "a percentage from 0 to 100",
  routingKey: "the integration key of a PagerDuty Events API v2 integration",
  url: "an absolute URL",
};

/** Help for fields whose name means different things in different places (`type`). */
const PATH_HELP: Array<[RegExp, string]> = [
  [/^sequences\.[^.]+\.syncs$/, "the syncs to run, in order, for example [contacts, accounts]"],
  [/^alerts\.channels\.[^.]+\.type$/, "the channel type: webhook, slack or pagerduty"],
  [
    /^alerts\.rules\.[^.]+\.type$/,
    "the rule: run_failed, run_partial, rejected_share, stale, slow_run, ledger_age or quota_exhausted",
  ],
];

/** Turns valibot issues into lines `path: problem — fix`; `schema` lets unknown keys suggest known ones. */
export function formatIssues(issues: readonly v.BaseIssue<unknown>[], schema?: v.GenericSchema, prefix = ""): string[] {
  return issues.map((issue) => {
    const keys = (issue.path ?? []).map((item) => String(item.key));
    const path = [prefix, ...keys].filter(Boolean).join(".") || "(top level)";
    const last = keys.at(-1) ?? "";
    if (issue.received === "undefined" && issue.kind === "schema") {
      const help = PATH_HELP.find(([pattern]) => pattern.test(path))?.[1] ?? FIELD_HELP[last];
      return `${path}: required — ${help ?? `expected ${issue.expected}`}`;
    }
    if ((issue.type === "strict_object" || issue.type === "object") && issue.expected === "never") {
      const known = schema ? keysAt(schema, keys.slice(0, -1)) : [];
      const hint = suggest(last, known);
      const tail = hint ? ` — did you mean "${hint}"?` : known.length > 0 ? ` — allowed keys: ${known.join(", ")}` : "";
      return `${path}: unknown key${tail}`;
    }
    const received = issue.kind === "schema" && issue.received ? ` (got ${issue.received})` : "";
    return `${path}: ${issue.message}${received}`;
  });
}

type Node = {
  type?: string;
  entries?: Record<string, Node>;
  wrapped?: Node;
  value?: Node;
  options?: Node[];
  pipe?: Node[];
};

/** The keys an object schema allows at a path (records and optionals are looked through). */
function keysAt(schema: v.GenericSchema, path: readonly string[]): string[] {
  let nodes: Node[] = [schema as Node];
  for (const key of path) {
    nodes = nodes.flatMap(unwrap).flatMap((node) => {
      if (node.entries) return node.entries[key] ? [node.entries[key]] : [];
      if (node.type === "record" && node.value) return [node.value];
      if (node.type === "array" && (node as { item?: Node }).item) return [(node as { item: Node }).item];
      return [];
    });
  }
  return [...new Set(nodes.flatMap(unwrap).flatMap((node) => Object.keys(node.entries ?? {})))];
}

function unwrap(node: Node): Node[] {
  if (node.wrapped) return unwrap(node.wrapped);
  if (node.options) return node.options.flatMap(unwrap);
  return [node];
}

/** The closest known name within two edits, for typos. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
