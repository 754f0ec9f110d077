import * as v from "valibot";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/** Milliseconds in a duration such as `90s`, `15m`, `2h`, `3d` or `1h30m`; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const compact = text.replace(/\s+/g, "");
  if (!WHOLE.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(PART)) total += Number(amount) * UNIT_MS[unit!]!;
  return Math.round(total);
}

/** A valibot schema for a duration written as text, giving milliseconds (at least one second). */
export const duration = v.pipe(
  v.string(),
  v.check(
    (text) => parseDuration(text) !== undefined,
    'must be a duration such as "90s", "15m", "2h", "3d" or "1h30m"',
  ),
  v.transform((text) => parseDuration(text)!),
  v.minValue(1000, "must be at least 1s"),
);

/** A duration for people: `2h 5m`, `45s`, `3d`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, seconds] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const amount = Math.floor(rest / seconds);
    rest -= amount * seconds;
    if (amount > 0) parts.push(`${amount}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}
