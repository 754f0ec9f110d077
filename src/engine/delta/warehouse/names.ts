import { createHash } from "node:crypto";
import type { TableRef } from "../../../sdk/source.ts";

/** Where Syncline keeps a sync's tables in the warehouse. */
export interface WarehouseTables {
  /** The committed snapshot: key, hash of the mapped fields, remote id. */
  snapshot: TableRef;
  /** The journal: the delta's final state per key, bulk-loaded before each commit. */
  journal: TableRef;
}

/**
 * Table names from a sync name: lowercase letters, digits and '_' (valid unquoted in every
 * warehouse, so nobody is surprised by case), cut to 40 characters, plus 8 hex digits of the
 * name's SHA-256 so that names differing only in case or punctuation never share a table.
 */
export function tablesFor(sync: string, schema: string): WarehouseTables {
  const slug = sync
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 40);
  const digest = createHash("sha256").update(sync).digest("hex").slice(0, 8);
  return {
    snapshot: { schema, name: `snap_${slug}_${digest}` },
    journal: { schema, name: `jrnl_${slug}_${digest}` },
  };
}
