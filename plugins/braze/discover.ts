import type { DiscoveredObject } from "syncline/sdk";

type Field = DiscoveredObject["fields"][number];

/**
 * Braze has no API that lists a workspace's attributes, so discovery returns the standard user
 * profile fields with their types; custom attributes are any other mapped field name.
 */
export const USER_FIELDS: readonly Field[] = [
  { name: "external_id", type: "string" },
  { name: "alias_name", type: "string" },
  { name: "email", type: "string" },
  { name: "first_name", type: "string" },
  { name: "last_name", type: "string" },
  { name: "phone", type: "string" },
  { name: "gender", type: "string" },
  { name: "dob", type: "date" },
  { name: "country", type: "string" },
  { name: "home_city", type: "string" },
  { name: "language", type: "string" },
  { name: "time_zone", type: "string" },
  { name: "image_url", type: "string" },
  { name: "email_subscribe", type: "string" },
  { name: "push_subscribe", type: "string" },
  { name: "email_open_tracking_disabled", type: "boolean" },
  { name: "email_click_tracking_disabled", type: "boolean" },
  { name: "date_of_first_session", type: "datetime" },
  { name: "date_of_last_session", type: "datetime" },
  { name: "marked_email_as_spam_at", type: "datetime" },
  { name: "current_location", type: "json" },
];

export async function discoverObjects(): Promise<DiscoveredObject[]> {
  return [{ name: "users", fields: USER_FIELDS.map((field) => ({ ...field })) }];
}
