import { describe, expect, it } from "vitest";
import { fieldsJson, recordsJson, StagedJsonRecord } from "./record-json.ts";

const stagedRecord = (...args: ConstructorParameters<typeof StagedJsonRecord>) => new StagedJsonRecord(...args);

const plain = (records: readonly object[]) =>
  JSON.stringify(
    records.map((r) => {
      const { key, keyValues, fields, remoteId } = r as Record<string, unknown>;
      return { key, keyValues, fields, remoteId };
    }),
  );

describe("records staged as JSON", () => {
  it("read like plain records, and copy, serialise and compare like them", () => {
    const record = stagedRecord("1", '{"id":1}', '{"email":"a@example.com","n":2}', "r-1");
    expect(record.fields).toEqual({ email: "a@example.com", n: 2 });
    expect({ ...record }).toEqual({
      key: "1",
      keyValues: { id: 1 },
      fields: { email: "a@example.com", n: 2 },
      remoteId: "r-1",
    });
    expect(JSON.parse(JSON.stringify(record))).toEqual({ ...record });
    expect(Object.keys(record)).toEqual(["key", "keyValues", "fields", "remoteId"]);
    const deleted = stagedRecord("2", { id: 2 }, null, undefined);
    expect(deleted.fields).toEqual({});
    expect(deleted.keyValues).toEqual({ id: 2 });
  });

  it("are written from their staged text untouched, and from their values once a plugin changed them", () => {
    const untouched = stagedRecord("a", '{"id":"a"}', '{"b":[1,{"c":null}],"x":"é"}', undefined);
    const mutated = stagedRecord("b", '{"id":"b"}', '{"x":1}', "9");
    mutated.fields.x = 2;
    const replaced = stagedRecord("c", '{"id":"c"}', '{"x":1}', undefined);
    replaced.fields = { y: true };
    const copied = { ...stagedRecord("d", '{"id":"d"}', '{"x":1}', undefined), fields: { z: 3 } };
    const records = [untouched, mutated, replaced, copied, { key: "e", keyValues: { id: "e" }, fields: {} }];
    expect(recordsJson(records)).toBe(plain(records));
    expect(JSON.parse(recordsJson(records))[1]).toEqual({
      key: "b",
      keyValues: { id: "b" },
      fields: { x: 2 },
      remoteId: "9",
    });
    expect(recordsJson([])).toBe("[]");
  });

  it("keep the staged text of a value too large for a JavaScript number", () => {
    const record = stagedRecord("1", '{"id":1}', '{"big":12345678901234567890}', undefined);
    expect(recordsJson([record])).toContain('"big":12345678901234567890');
  });

  it("give one record's fields as JSON text: the staged text untouched, else the values'", () => {
    const untouched = stagedRecord("a", '{"id":"a"}', '{"b":[1,{"c":null}],"x":"é"}', undefined);
    expect(fieldsJson(untouched)).toBe('{"b":[1,{"c":null}],"x":"é"}');
    const mutated = stagedRecord("b", '{"id":"b"}', '{"x":1}', undefined);
    mutated.fields.x = 2;
    expect(fieldsJson(mutated)).toBe('{"x":2}');
    expect(fieldsJson({ key: "c", keyValues: { id: "c" }, fields: { y: null } })).toBe('{"y":null}');
  });
});
