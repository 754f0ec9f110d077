import { type DestinationContext, type DestinationRecord, TransientError } from "syncline/sdk";
import type { IntercomConfig } from "./config.ts";
import { intercomApi } from "./http.ts";

export interface Match {
  field: "external_id" | "email";
  value: string;
}

/** What the record is matched by: the `matchBy` option, else external_id when mapped, else email. */
export function matchOf(record: DestinationRecord, matchBy: unknown): Match | undefined {
  const fields: Array<"external_id" | "email"> =
    matchBy === "email" || matchBy === "external_id" ? [matchBy] : ["external_id", "email"];
  for (const field of fields) {
    const value = record.fields[field];
    if (value !== null && value !== undefined && value !== "") return { field, value: String(value) };
  }
  return undefined;
}

interface Contact {
  id: string;
  role?: string;
}

/**
 * The id of the contact with this external_id or email (users before leads), if any. Only a
 * list answer says there is none: anything else is an error, never "not found" (a deletion
 * would count a contact Intercom still holds as gone).
 */
export async function findContact(
  ctx: DestinationContext<IntercomConfig>,
  match: Match,
  role: string | undefined,
): Promise<string | undefined> {
  const body = (await intercomApi.request(ctx, "POST", "contacts/search", {
    json: { query: { field: match.field, operator: "=", value: match.value } },
  })) as { data?: unknown } | undefined;
  if (!Array.isArray(body?.data)) {
    throw new TransientError("Intercom's search answer has no list of contacts", { code: "malformed_response" });
  }
  const contacts = body.data as Contact[];
  return (contacts.find((contact) => contact.role === (role ?? "user")) ?? contacts[0])?.id;
}
