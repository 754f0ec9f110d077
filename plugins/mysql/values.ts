import type { CanonicalValue } from "syncline/sdk";

const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)\d*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A canonical value as mysql2 should send it: nested values as JSON text (mysql2 would
 * otherwise expand an object into `a = 1` pairs), and ISO timestamps into the
 * `YYYY-MM-DD HH:MM:SS.ffffff` UTC text DATETIME and TIMESTAMP columns accept.
 */
export function mysqlValue(value: CanonicalValue | undefined, dataType: string | undefined): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  if (typeof value === "string" && (dataType === "datetime" || dataType === "timestamp")) return utcDatetime(value);
  return value;
}

function utcDatetime(text: string): string {
  const m = ISO.exec(text);
  if (!m) return text;
  const [, date, time, zone] = m;
  if (!zone || zone === "Z") return `${date} ${time}`;
  const parsed = new Date(`${date}T${time}${zone}`);
  if (Number.isNaN(parsed.getTime())) return text;
  const fraction = time!.includes(".") ? time!.slice(time!.indexOf(".")) : "";
  return `${parsed.toISOString().slice(0, 19).replace("T", " ")}${fraction}`;
}
