import type { FakeCall, FakeCounters, FakeWrite } from "syncline/sdk/testing";

export interface StoredNote {
  id: string;
  externalId: string;
  title: string;
  body?: string;
  tags?: unknown;
}

export interface NotesFakeOptions {
  apiKey?: string;
  maxNotes?: number;
  rateLimit?: { requests: number; windowMs: number };
}

export interface NotesFake {
  fetch(request: Request): Promise<Response>;
  notes(): StoredNote[];
  readonly calls: readonly FakeCall[];
  readonly writes: readonly FakeWrite[];
  readonly counters: Readonly<FakeCounters>;
}

export const FAKE_API_KEY: string;
export function createNotesFake(options?: NotesFakeOptions): NotesFake;
export function startNotesFake(
  options?: NotesFakeOptions,
): Promise<{ url: string; fake: NotesFake; close(): Promise<void> }>;
