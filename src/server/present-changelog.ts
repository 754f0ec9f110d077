import type { DestinationCallRow } from "../state/call-store.ts";
import type { ChangelogRow } from "../state/changelog-store.ts";
import type { CallView, ChangelogEntryView } from "./changelog-schemas.ts";
import { iso } from "./present.ts";

/** A changelog row as the API shows it: the ChangelogEntry, plus the values when the sync keeps them. */
export function changelogView(row: ChangelogRow): ChangelogEntryView {
  const { id: _id, values, ...entry } = row;
  return values === null ? entry : { ...entry, values: parseValues(values) };
}

function parseValues(values: string): unknown {
  try {
    return JSON.parse(values);
  } catch {
    return values;
  }
}

/** A recorded destination call as the API shows it: bodies only when they were kept. */
export function callView(row: DestinationCallRow): CallView {
  const { destination: _d, at, requestBody, responseBody, ...call } = row;
  return {
    ...call,
    at: iso(at),
    ...(requestBody === null ? {} : { requestBody }),
    ...(responseBody === null ? {} : { responseBody }),
  };
}
