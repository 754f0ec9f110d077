import Table from "cli-table3";

/** Prints one scenario's table to standard output. */
export function printTable(title: string, head: string[], rows: Array<Array<string | number>>): void {
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map(String));
  process.stdout.write(`\n${title}\n${table.toString()}\n`);
}
