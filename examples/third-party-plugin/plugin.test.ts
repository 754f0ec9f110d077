// In a plugin's own repository these two imports are "syncline/sdk" and "syncline/sdk/testing".
// Inside Syncline's repository the package is not installed under node_modules, so TypeScript
// reaches the same files by path (the plugin itself still imports "syncline/sdk").

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DestinationRecord, PermanentError } from "../../src/sdk/index.ts";
import { makeDestinationContext, runDestinationContract } from "../../src/sdk/testing/index.ts";
import { FAKE_API_KEY, startNotesFake } from "./fake.js";
import notesCrm from "./index.js";

const note = (index: number): DestinationRecord => ({
  key: `note-${index}`,
  keyValues: { id: index },
  fields: { title: `Note ${index}`, body: "Hello", tags: ["a", "b"] },
});

runDestinationContract({
  plugin: notesCrm,
  config: { apiKey: FAKE_API_KEY },
  badConfig: { apiKey: "wrong" },
  secrets: ["apiKey"],
  makeServer: () => startNotesFake({ rateLimit: { requests: 1_000, windowMs: 1_000 } }),
  object: "notes",
  sampleRecords: [note(1), note(2)],
  makeRecord: (index) => note(100 + index),
  readBack: async (server) => (server?.fake.notes() ?? []).map((stored) => stored.externalId),
});

describe("example notes CRM plugin", () => {
  let server: Awaited<ReturnType<typeof startNotesFake>>;
  beforeAll(async () => {
    server = await startNotesFake();
  });
  afterAll(() => server.close());

  it("rejects an invalid note with the CRM's code and message, and keeps the others", async () => {
    const ctx = makeDestinationContext(notesCrm, { apiKey: FAKE_API_KEY, baseUrl: server.url });
    const bad = { ...note(9), fields: { title: "" } };
    const outcomes = await notesCrm.write(ctx, {
      object: "notes",
      operation: "upsert",
      records: [note(8), bad],
      options: {},
    });
    expect(outcomes[0]?.status).toBe("ok");
    expect(outcomes[1]).toEqual({
      key: "note-9",
      status: "reject",
      code: "title_required",
      message: "a note needs a non-empty title",
    });
    expect(server.fake.notes().map((stored) => stored.externalId)).toContain("note-8");
  });

  it("deletes a note already gone, and throws a refused batch as permanent with the CRM's words", async () => {
    const ctx = makeDestinationContext(notesCrm, { apiKey: FAKE_API_KEY, baseUrl: server.url });
    const gone = { ...note(7), remoteId: "n-gone" };
    expect(await notesCrm.write(ctx, { object: "notes", operation: "delete", records: [gone], options: {} })).toEqual([
      { key: "note-7", status: "ok", remoteId: "n-gone" },
    ]);
    const tooMany = Array.from({ length: 51 }, (_, index) => note(200 + index));
    const refused = notesCrm.write(ctx, { object: "notes", operation: "upsert", records: tooMany, options: {} });
    await expect(refused).rejects.toBeInstanceOf(PermanentError);
    await expect(refused).rejects.toThrow("HTTP 400: at most 50 notes per call");
  });
});
