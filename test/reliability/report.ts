import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Scenario {
  seed: number | string;
  lost: number;
  extra: number;
  staleWrites: number;
  runsToConverge: number;
  injected: Map<string, number>;
  sourceErrors?: number;
}

/** Collects the figures the README's reliability section reports. */
class Report {
  private readonly statuses = new Map<string, number>();
  private readonly scenarios: Scenario[] = [];

  run(status: string): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  scenario(scenario: Scenario): void {
    this.scenarios.push(scenario);
  }

  print(): void {
    const faults = new Map<string, number>();
    for (const s of this.scenarios) {
      for (const [kind, n] of s.injected) faults.set(kind, (faults.get(kind) ?? 0) + n);
      if (s.sourceErrors) faults.set("source_error", (faults.get("source_error") ?? 0) + s.sourceErrors);
    }
    const summary = {
      runs: Object.fromEntries(this.statuses),
      runsExecuted: [...this.statuses.values()].reduce((a, b) => a + b, 0),
      faultsInjected: Object.fromEntries(faults),
      recordsLost: this.scenarios.reduce((a, s) => a + s.lost, 0),
      extraRecords: this.scenarios.reduce((a, s) => a + s.extra, 0),
      staleWrites: this.scenarios.reduce((a, s) => a + s.staleWrites, 0),
      runsToConverge: this.scenarios.map((s) => s.runsToConverge),
    };
    const file = join(tmpdir(), `syncline-reliability-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(summary, null, 2));
    console.log(`reliability report (${file}):\n${JSON.stringify(summary, null, 2)}`);
  }
}

export const report = new Report();
