import * as v from "valibot";
import { expect } from "vitest";
import { triggerResponse } from "../../src/server/schemas.ts";
import type { Receiver, ServiceProcess } from "./process.ts";

/**
 * After a run that `committed` records before it was interrupted: the next run, through
 * `service`, plans exactly the rest and leaves the receiver holding every one of the `rows`.
 */
export async function expectNextRunSendsTheRest(
  service: ServiceProcess,
  receiver: Receiver,
  rows: number,
  committed: number,
): Promise<void> {
  const response = await service.fetch("/v1/syncs/people/runs?wait=true", { method: "POST" });
  const next = v.parse(triggerResponse, await response.json());
  expect(next.status).toBe("succeeded");
  expect(next.counts?.planned.added).toBe(rows - committed);
  expect(receiver.accepted.size).toBe(rows);
}
