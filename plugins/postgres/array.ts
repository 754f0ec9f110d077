/**
 * Parses a Postgres array literal (`{1,2,NULL}`, `{"a b","c\"d"}`, `{{1,2},{3,4}}`) into
 * nested arrays of element text, with `null` for NULL. Elements are converted by the caller.
 */
export type ArrayText = Array<string | null | ArrayText>;

export function parseArrayLiteral(text: string): ArrayText {
  // A leading dimension decoration ("[0:1]={…}") appears for arrays not starting at 1.
  const start = text.indexOf("{");
  let position = start + 1;

  function parseLevel(): ArrayText {
    const items: ArrayText = [];
    let current = "";
    let quoted = false;
    let hasValue = false;
    while (position < text.length) {
      const char = text[position++]!;
      if (char === "{") {
        items.push(parseLevel());
        hasValue = false;
      } else if (char === "}") {
        if (hasValue) items.push(finish(current, quoted));
        return items;
      } else if (char === ",") {
        if (hasValue) items.push(finish(current, quoted));
        current = "";
        quoted = false;
        hasValue = false;
      } else if (char === '"') {
        quoted = true;
        hasValue = true;
        while (position < text.length && text[position] !== '"') {
          if (text[position] === "\\") position++;
          current += text[position++];
        }
        position++;
      } else {
        current += char;
        hasValue = true;
      }
    }
    return items;
  }

  return start < 0 ? [] : parseLevel();
}

function finish(value: string, quoted: boolean): string | null {
  return !quoted && value.toUpperCase() === "NULL" ? null : value;
}
