import { writeFileSync } from "node:fs";
import { createHubSpotFake } from "../../plugins/hubspot/fake/fake.ts";
import { serveFetch } from "../../src/sdk/testing/serve.ts";
import { meanFieldHashLength } from "../../src/state/inspect/index.ts";
import { Workspace } from "../../test/support/connector-e2e.ts";
import type { BenchArgs } from "../lib/args.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";

/** Ten mapped contact properties: email (the idProperty) and nine others. */
const COLUMNS = ["email", "firstname", "lastname", "company", "jobtitle", "city", "country", "phone", "plan", "score"];

interface Measure {
  /** Request bytes (bodies) the fake received in the run. */
  bytes: number;
  requests: number;
  records: number;
  ms: number;
}

export interface FieldsFigures {
  rows: number;
  changedRows: number;
  repeat: number;
  allFields: { first: Measure; second: Measure };
  changedOnly: { first: Measure; second: Measure };
  /** Bytes of field hashes the snapshot holds per record (changedOnly). */
  fieldHashBytesPerRecord: number;
  /** Second run: request bytes with sendChangedFieldsOnly ÷ without. */
  secondBytesRatio: number;
}

function tableSql(rows: number): string {
  return `CREATE OR REPLACE TABLE people AS SELECT i::INTEGER AS id, 'p' || i || '@example.com' AS email,
    ['Ada','Grace','Alan','Edsger','Barbara'][1 + i % 5] AS firstname, 'Last' || i AS lastname,
    'Company ' || (i % 977) AS company, ['Engineer','Manager','Director','Analyst'][1 + i % 4] AS jobtitle,
    ['Paris','Berlin','Lisbon','Oslo','Rome'][1 + i % 5] AS city, ['FR','DE','PT','NO','IT'][1 + i % 5] AS country,
    '+33 1 ' || lpad((i % 100000)::VARCHAR, 8, '0') AS phone, ['free','pro','team'][1 + i % 3] AS plan,
    (i % 1000)::INTEGER AS score FROM range(1, ${rows + 1}) t(i)`;
}

function writeConfig(ws: Workspace, url: string, changedOnly: boolean): void {
  writeFileSync(
    ws.configPath,
    `state: ./state.db
sources:
  wh: { type: duckdb, path: ./warehouse.duckdb }
destinations:
  crm: { type: hubspot, accessToken: "\${HUBSPOT_TOKEN}", baseUrl: "${url}", rateLimit: { requests: 1000, windowMs: 1000 } }
syncs:
  people:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: crm
    object: contacts
    sendChangedFieldsOnly: ${changedOnly}
    mapping: { ${COLUMNS.map((c) => `${c}: ${c}`).join(", ")} }
`,
  );
}

/** A fresh fake and workspace: first run (every record added), then 1 field changed in 10% of rows. */
async function round1(
  rows: number,
  changedOnly: boolean,
): Promise<{ first: Measure; second: Measure; hashBytes: number }> {
  const fake = createHubSpotFake({ rateLimit: { requests: 1000, windowMs: 1000 } });
  let bytes = 0;
  let requests = 0;
  const server = await serveFetch(async (request) => {
    bytes += (await request.clone().arrayBuffer()).byteLength;
    requests++;
    return fake.fetch(request);
  });
  const ws = new Workspace();
  try {
    await ws.sql(tableSql(rows));
    writeConfig(ws, server.url, changedOnly);
    const app = await ws.open({ HUBSPOT_TOKEN: fake.token });
    const measures: Measure[] = [];
    for (let run = 0; run < 2; run++) {
      if (run === 1) await ws.sql("UPDATE people SET city = city || ' (moved)' WHERE id % 10 = 3");
      const [bytesBefore, requestsBefore] = [bytes, requests];
      const started = performance.now();
      const result = await app.engine.runNow("people");
      const ms = performance.now() - started;
      if (result.status !== "succeeded") throw new Error(`fields scenario: run ${result.status}`);
      const s = result.counts!.succeeded;
      measures.push({
        bytes: bytes - bytesBefore,
        requests: requests - requestsBefore,
        records: s.added + s.changed,
        ms: round(ms),
      });
    }
    // The saving counts only if HubSpot ends up holding the model: every contact, every change.
    const contacts = fake.records("contacts");
    const moved = contacts.filter((contact) => contact.properties.city?.endsWith("(moved)")).length;
    const intact = contacts.every((contact) => contact.properties.email && contact.properties.score !== undefined);
    if (contacts.length !== rows || moved !== Math.round(rows / 10) || !intact) {
      throw new Error(`fields scenario: HubSpot holds ${contacts.length} contacts, ${moved} moved, intact: ${intact}`);
    }
    const hashBytes = meanFieldHashLength(app.state.sqlite, "people");
    return { first: measures[0]!, second: measures[1]!, hashBytes };
  } finally {
    await ws.close();
    await server.close();
  }
}

function med(measures: Measure[]): Measure {
  const of = (pick: (m: Measure) => number) => round(median(measures.map(pick)));
  return {
    bytes: of((m) => m.bytes),
    requests: of((m) => m.requests),
    records: of((m) => m.records),
    ms: of((m) => m.ms),
  };
}

/** Scenario 10: request bytes to HubSpot with and without sendChangedFieldsOnly. */
export async function fieldsScenario(args: BenchArgs): Promise<FieldsFigures> {
  const rows = args.quick ? 5_000 : 20_000;
  const all = [];
  const changed = [];
  for (let i = 0; i < args.repeat; i++) {
    all.push(await round1(rows, false));
    changed.push(await round1(rows, true));
  }
  const allFields = { first: med(all.map((r) => r.first)), second: med(all.map((r) => r.second)) };
  const changedOnly = { first: med(changed.map((r) => r.first)), second: med(changed.map((r) => r.second)) };
  const secondBytesRatio = round(changedOnly.second.bytes / allFields.second.bytes, 3);
  printTable(
    `10. Field-level deltas: request bytes to the HubSpot fake (${rows} contacts × 10 fields; then 1 field changed in 10% of rows; medians of ${args.repeat})`,
    ["sendChangedFieldsOnly", "run", "records", "requests", "request bytes", "bytes/record", "s"],
    [
      ...(["first", "second"] as const).map((run) => row("false", run, allFields[run])),
      ...(["first", "second"] as const).map((run) => row("true", run, changedOnly[run])),
    ],
  );
  process.stderr.write(`second run bytes, changed only ÷ all fields: ${secondBytesRatio}\n`);
  return {
    rows,
    changedRows: allFields.second.records,
    repeat: args.repeat,
    allFields,
    changedOnly,
    fieldHashBytesPerRecord: round(median(changed.map((r) => r.hashBytes))),
    secondBytesRatio,
  };
}

function row(option: string, run: string, m: Measure) {
  return [option, run, m.records, m.requests, m.bytes, round(m.bytes / Math.max(1, m.records)), round(m.ms / 1000, 2)];
}
