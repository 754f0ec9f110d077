import { pick } from "../support/random.ts";
import type { Warehouse } from "./invariant.ts";

/**
 * Random (seeded) changes to the model between runs: inserts, updates, deletes and reuse of
 * deleted keys. Versions only grow, so any write of a lower version is a stale write.
 */
export class ModelMutator {
  private version = 1;
  private nextId: number;
  private readonly deleted: number[] = [];
  private readonly random: () => number;

  constructor(random: () => number, firstFreeId: number) {
    this.random = random;
    this.nextId = firstFreeId;
  }

  async mutate(harness: Warehouse): Promise<void> {
    const keys = [...(await harness.model()).keys()].map(Number);
    const statements: string[] = [];
    const n = (max: number) => Math.floor(this.random() * (max + 1));
    for (let i = n(8); i > 0; i--) statements.push(this.insert(this.nextId++));
    for (let i = n(12); i > 0 && keys.length > 0; i--) {
      statements.push(
        `UPDATE people SET version = ${++this.version}, name = 'v${this.version}' WHERE id = ${pick(this.random, keys)}`,
      );
    }
    for (let i = n(4); i > 0 && keys.length > 1; i--) {
      const id = pick(this.random, keys);
      if (this.deleted.includes(id)) continue;
      statements.push(`DELETE FROM people WHERE id = ${id}`);
      this.deleted.push(id);
    }
    for (let i = n(2); i > 0 && this.deleted.length > 0; i--) {
      const id = this.deleted.splice(Math.floor(this.random() * this.deleted.length), 1)[0]!;
      if (statements.some((s) => s === `DELETE FROM people WHERE id = ${id}`)) continue;
      statements.push(this.insert(id));
    }
    if (statements.length > 0) await harness.sql(statements.join(";\n"));
  }

  private insert(id: number): string {
    const version = ++this.version;
    return `INSERT INTO people VALUES (${id}, 'p${id}@example.com', 'v${version}', ${version})`;
  }
}
