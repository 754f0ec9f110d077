import { people } from "./harness.ts";
import { pick } from "./random.ts";

/**
 * A seeded history of changes to the harness's `people` table (rows 1 to 30 to begin with):
 * inserts, updates, deletes, reused keys, duplicate and null keys. Suites that replay it on
 * two syncs compare what each run of both did.
 */
export class PeopleHistory {
  private version = 1;
  private nextId = 31;
  private readonly random: () => number;

  constructor(random: () => number) {
    this.random = random;
  }

  /** The ids used so far, and one round's statements (in order). */
  round(): { ids: number[]; statements: string[] } {
    const random = this.random;
    const ids = Array.from({ length: this.nextId - 1 }, (_, i) => i + 1);
    const statements: string[] = [];
    const n = (max: number) => Math.floor(random() * (max + 1));
    for (let i = n(4); i > 0; i--) statements.push(people(this.nextId, this.nextId++, ++this.version));
    for (let i = n(6); i > 0; i--)
      statements.push(`UPDATE people SET version = ${++this.version} WHERE id = ${pick(random, ids)}`);
    for (let i = n(3); i > 0; i--) statements.push(`DELETE FROM people WHERE id = ${pick(random, ids)}`);
    if (random() < 0.4) {
      const from = pick(random, ids);
      statements.push(people(from, from + n(2)));
    }
    if (random() < 0.3) statements.push(`INSERT INTO people SELECT * FROM people WHERE id = ${pick(random, ids)}`);
    if (random() < 0.3) {
      const id = pick(random, ids);
      statements.push(`DELETE FROM people WHERE id = ${id}`, people(id, id, ++this.version));
    }
    if (random() < 0.2) statements.push(`INSERT INTO people VALUES (NULL, 'x', 'no key', ${this.version})`);
    if (random() < 0.2) statements.push("DELETE FROM people WHERE id IS NULL");
    return { ids, statements };
  }
}
