/** The median of some measurements (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** 1234567 → "1.23M", 12345 → "12.3k": for tables, not for the JSON. */
export function compact(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (Math.abs(value) >= 1e6) return `${round(value / 1e6, 2)}M`;
  if (Math.abs(value) >= 1e4) return `${round(value / 1e3, 1)}k`;
  return String(round(value, value < 10 ? 2 : 0));
}
