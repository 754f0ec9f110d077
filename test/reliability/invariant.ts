/** What the checks need of a warehouse: run SQL, read the model (key → mapped fields). */
export interface Warehouse {
  sql(statements: string): Promise<void>;
  model(): Promise<Map<string, Record<string, unknown>>>;
}

export interface InvariantResult {
  /** Model records missing from the destination or holding other values. */
  lost: number;
  /** Records in the destination that the model does not have (mirror mode). */
  extra: number;
}

/** The promise: the destination holds exactly the model's current rows and values. */
export async function checkInvariant(
  harness: Warehouse,
  destination: Map<string, Record<string, unknown>>,
): Promise<InvariantResult> {
  const model = await harness.model();
  let lost = 0;
  for (const [key, fields] of model) {
    const held = destination.get(key);
    if (!held || JSON.stringify(held) !== JSON.stringify(fields)) lost++;
  }
  let extra = 0;
  for (const key of destination.keys()) if (!model.has(key)) extra++;
  return { lost, extra };
}
