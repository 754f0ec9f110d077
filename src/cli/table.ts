import Table from "cli-table3";

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colourWanted(stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

/**
 * A table for the CLI's output. cli-table3 colours headers and borders by default, even into a
 * pipe or a file; here they are plain unless the output is a terminal that wants colour.
 */
export function table(options: Omit<Table.TableConstructorOptions, "style"> = {}): Table.Table {
  const style = colourWanted() ? { head: ["bold"], border: ["grey"] } : { head: [], border: [] };
  return new Table({ ...options, style });
}
