import { randomBytes, timingSafeEqual } from "node:crypto";

export interface Session {
  id: string;
  /** Sent in every form of this session and checked on every action (synchronizer token). */
  csrf: string;
  createdAt: number;
  seenAt: number;
}

export interface SessionOptions {
  /** A session ends after this long without a request… */
  idleMs: number;
  /** …and in any case this long after signing in. */
  maxMs: number;
  now?: () => number;
}

/**
 * Console sessions, in memory: a restart signs everyone out, and signing out ends the session
 * on the server, not only in the browser. Ids and CSRF tokens are 32 random bytes.
 */
export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private readonly options: SessionOptions;
  private readonly now: () => number;

  constructor(options: SessionOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  create(): Session {
    this.prune();
    const now = this.now();
    const session = { id: token(), csrf: token(), createdAt: now, seenAt: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, its idle clock restarted; undefined once expired. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.now();
    if (this.expired(session, now)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.seenAt = now;
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: Session, now: number): boolean {
    return now - session.seenAt > this.options.idleMs || now - session.createdAt > this.options.maxMs;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) if (this.expired(session, now)) this.sessions.delete(id);
  }
}

export function token(): string {
  return randomBytes(32).toString("base64url");
}

/** Constant-time comparison of two tokens of any length. */
export function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
