/**
 * Whether a text rendered by a warehouse is already canonical JSON (values.ts), so a source
 * can pass it on without parsing it: `isCanonicalFieldsJson(text, checked)` is true only if
 * `text` is a JSON object each of whose values `v` is written as
 * `JSON.stringify(canonicalJsonText(v))` writes it (keys sorted, no whitespace, numbers and
 * strings as JavaScript writes them); the object's own keys may come in any order (the fields'
 * order). With `checked`, only the values of the fields it marks (by position) are checked, the
 * others skipped: a source passes the positions of the columns its warehouse may write
 * inexactly (JSON kept as stored). It may answer false when unsure (an escape JSON.stringify
 * would not write, a key with an escape): that costs the caller a parse, never a wrong text.
 * It reads character codes in one pass: it runs for every row of a first sync that maps a
 * JSON column.
 */
export function isCanonicalFieldsJson(text: string, checked?: readonly boolean[]): boolean {
  const scan = new Scan(text);
  return scan.fields(checked) && scan.at === text.length;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const [QUOTE, BACKSLASH, COMMA, COLON, MINUS, ZERO, NINE] = [0x22, 0x5c, 0x2c, 0x3a, 0x2d, 0x30, 0x39];
const [OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY] = [0x7b, 0x7d, 0x5b, 0x5d];
/** Escapes JSON.stringify writes as themselves: \" \\ \b \f \n \r \t. */
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x62, 0x66, 0x6e, 0x72, 0x74]);
/** Control characters JSON.stringify writes with a short escape, not \u00XX. */
const SHORT_CONTROLS = new Set([8, 9, 10, 12, 13]);

class Scan {
  at = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  private code(): number {
    return this.text.charCodeAt(this.at);
  }

  /** A value at `at`, canonical; moves past it. */
  private value(): boolean {
    const c = this.code();
    if (c === OPEN_OBJECT) return this.object(true);
    if (c === OPEN_ARRAY) return this.array();
    if (c === QUOTE) return this.string(false) !== undefined;
    if (c === 0x74) return this.literal("true");
    if (c === 0x66) return this.literal("false");
    if (c === 0x6e) return this.literal("null");
    return this.number();
  }

  /** The fields' object: each value checked, or with `checked`, those it marks; the others skipped. */
  fields(checked: readonly boolean[] | undefined): boolean {
    if (checked === undefined) return this.object(false);
    if (this.code() !== OPEN_OBJECT) return false;
    this.at++;
    if (this.code() === CLOSE_OBJECT) {
      this.at++;
      return true;
    }
    for (let field = 0; ; field++) {
      if (this.string(false) === undefined || this.text.charCodeAt(this.at++) !== COLON) return false;
      if (!(checked[field] ? this.value() : this.skip())) return false;
      const next = this.text.charCodeAt(this.at++);
      if (next === CLOSE_OBJECT) return true;
      if (next !== COMMA) return false;
    }
  }

  /** Past a value that is a string, a number or a literal, unchecked. */
  private skip(): boolean {
    if (this.code() !== QUOTE) {
      while (this.at < this.text.length && this.code() !== COMMA && this.code() !== CLOSE_OBJECT) this.at++;
      return true;
    }
    for (let quote = this.text.indexOf('"', this.at + 1); quote !== -1; quote = this.text.indexOf('"', quote + 1)) {
      let backslashes = 0;
      while (this.text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) {
        this.at = quote + 1;
        return true;
      }
    }
    return false;
  }

  /** An object; with `sorted`, its keys in JavaScript's sort order, none repeated. */
  private object(sorted: boolean): boolean {
    if (this.code() !== OPEN_OBJECT) return false;
    this.at++;
    if (this.code() === CLOSE_OBJECT) {
      this.at++;
      return true;
    }
    let previous: string | undefined;
    for (;;) {
      const key = this.string(sorted);
      if (key === undefined || this.text.charCodeAt(this.at++) !== COLON) return false;
      if (sorted && ((previous !== undefined && !(previous < key)) || key === "__proto__")) return false;
      previous = key;
      if (!this.value()) return false;
      const next = this.text.charCodeAt(this.at++);
      if (next === CLOSE_OBJECT) return true;
      if (next !== COMMA) return false;
    }
  }

  private array(): boolean {
    this.at++;
    if (this.code() === CLOSE_ARRAY) {
      this.at++;
      return true;
    }
    for (;;) {
      if (!this.value()) return false;
      const next = this.text.charCodeAt(this.at++);
      if (next === CLOSE_ARRAY) return true;
      if (next !== COMMA) return false;
    }
  }

  /**
   * A string as JSON.stringify writes it; moves past it. Returns its raw text, or "" when
   * `plain` is false (the text is then not needed); a key (`plain`) may hold no escape.
   */
  private string(plain: boolean): string | undefined {
    if (this.code() !== QUOTE) return undefined;
    const start = ++this.at;
    for (;;) {
      const code = this.code();
      if (code === QUOTE) {
        this.at++;
        return plain ? this.text.slice(start, this.at - 1) : "";
      }
      if (code < 0x20 || Number.isNaN(code)) return undefined;
      if (code >= 0xd800 && code <= 0xdfff && !this.pair(code)) return undefined;
      if (code === BACKSLASH && (plain || !this.escape())) return undefined;
      this.at++;
    }
  }

  /** A surrogate pair at `at` (JSON.stringify escapes a lone surrogate); `at` on its second half. */
  private pair(code: number): boolean {
    if (code > 0xdbff) return false;
    const low = this.text.charCodeAt(this.at + 1);
    if (!(low >= 0xdc00 && low <= 0xdfff)) return false;
    this.at++;
    return true;
  }

  /** The escape at `at` is one JSON.stringify writes; `at` on its last character. */
  private escape(): boolean {
    const c = this.text.charCodeAt(this.at + 1);
    if (SHORT_ESCAPES.has(c)) {
      this.at++;
      return true;
    }
    const hex = this.text.slice(this.at + 2, this.at + 6);
    if (c !== 0x75 || !/^00[01][0-9a-f]$/.test(hex) || SHORT_CONTROLS.has(Number.parseInt(hex, 16))) return false;
    this.at += 5;
    return true;
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.at)) return false;
    this.at += word.length;
    return true;
  }

  /**
   * A number as canonicalize writes it: a safe integer plainly, any other as String(number).
   * Integers of up to 15 digits are read without converting them.
   */
  private number(): boolean {
    const start = this.at;
    if (this.code() === MINUS) this.at++;
    const first = this.at;
    while (this.code() >= ZERO && this.code() <= NINE) this.at++;
    const digits = this.at - first;
    const end = this.code();
    const plainInteger = end !== 0x2e && end !== 0x65 && end !== 0x45;
    if (plainInteger && digits > 0 && digits <= 15) {
      const leadingZero = this.text.charCodeAt(first) === ZERO && digits > 1;
      return !leadingZero && !(digits === 1 && this.text.charCodeAt(first) === ZERO && first > start);
    }
    this.at = start;
    return this.anyNumber();
  }

  private anyNumber(): boolean {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match) return false;
    const token = match[0];
    const value = Number(token);
    this.at += token.length;
    if (Number.isInteger(value)) return INTEGER.test(token) && Number.isSafeInteger(value) && token !== "-0";
    return String(value) === token;
  }
}
