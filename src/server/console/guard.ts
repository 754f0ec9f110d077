import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../deps.ts";
import { type Session, type Sessions, sameToken } from "./session.ts";
import { BASE, withQuery } from "./views/layout.ts";
import { errorPage } from "./views/messages.ts";

export interface ConsoleEnv {
  Variables: AppEnv["Variables"] & { session: Session };
}

export const SESSION_COOKIE = "syncline_session";
/** The sign-in form's own CSRF token (double submit): there is no session yet to hold one. */
export const SIGN_IN_COOKIE = "syncline_sign_in";

/**
 * Every console route but sign-in and the static assets needs a live session. Without one,
 * a page view is sent to sign in and comes back after; anything else (an action, the event
 * stream) is refused with 401. Every action must carry the session's CSRF token.
 */
export function requireSession(sessions: Sessions): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const session = sessions.get(getCookie(c, SESSION_COOKIE));
    if (!session) {
      if (c.req.method === "GET" && !c.req.path.endsWith("/events")) {
        return c.redirect(withQuery(`${BASE}/sign-in`, { next: nextTarget(c.req.url) }), 303);
      }
      return c.html(
        errorPage({
          status: 401,
          title: "Sign in first",
          message: "Your console session has ended or was never started. Sign in again.",
          signedIn: false,
        }),
        401,
      );
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const form = await c.req.parseBody();
      if (!sameToken(session.csrf, form._csrf)) {
        return c.html(
          errorPage({
            status: 403,
            title: "This form has expired",
            message: "The form did not carry this session's security token. Go back, reload the page and try again.",
            signedIn: true,
            csrf: session.csrf,
          }),
          403,
        );
      }
    }
    c.set("session", session);
    return next();
  };
}

export function cookieOptions(c: Context, maxAgeSeconds: number) {
  return {
    path: BASE,
    httpOnly: true,
    sameSite: "Strict" as const,
    secure: isHttps(c),
    maxAge: maxAgeSeconds,
  };
}

export function setSessionCookie(c: Context, session: Session, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, session.id, cookieOptions(c, maxAgeSeconds));
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: BASE, secure: isHttps(c) });
}

/** Served over TLS directly, or behind a proxy that terminates it. */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
}

/** Where to return after signing in: a console path on this origin, never another site. */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith(`${BASE}`) || next.startsWith("//")) return BASE;
  return /^\/ui(\/|\?|$)/.test(next) && !/[\\\r\n]/.test(next) ? next : BASE;
}

function nextTarget(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
