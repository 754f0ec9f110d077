import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { digest, matchesAny } from "../auth.ts";
import type { AppDeps } from "../deps.ts";
import {
  type ConsoleEnv,
  clearSessionCookie,
  cookieOptions,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  safeNext,
  setSessionCookie,
} from "./guard.ts";
import { type Sessions, sameToken, token } from "./session.ts";
import { BASE } from "./views/layout.ts";
import { signInPage } from "./views/messages.ts";

const SIGN_IN_FORM_SECONDS = 30 * 60;

/**
 * Sign in with one of the service's API tokens (the same bearer tokens as /v1); the browser
 * gets a session cookie, never the token. Sign out ends the session on the server.
 */
export function authRoutes(deps: AppDeps, sessions: Sessions, sessionSeconds: number): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const tokens = deps.config.server.tokens.map(digest);

  const form = (c: Context<ConsoleEnv>, next: string, error?: string, status: 200 | 401 | 403 = 200) => {
    const csrf = token();
    setCookie(c, SIGN_IN_COOKIE, csrf, cookieOptions(c, SIGN_IN_FORM_SECONDS));
    return c.html(signInPage({ csrf, next, error }), status);
  };

  app.get(`${BASE}/sign-in`, (c) => {
    if (sessions.get(getCookie(c, SESSION_COOKIE))) return c.redirect(safeNext(c.req.query("next")), 303);
    return form(c, safeNext(c.req.query("next")));
  });

  app.post(`${BASE}/sign-in`, async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(body.next);
    const expected = getCookie(c, SIGN_IN_COOKIE);
    if (!expected || !sameToken(expected, body._csrf)) {
      return form(c, next, "The sign-in form expired. Enter the token again.", 403);
    }
    const given = typeof body.token === "string" ? body.token.trim() : "";
    if (tokens.length === 0) {
      return form(c, next, "No API token is configured: set SYNCLINE_API_TOKEN or server.tokens, then restart.", 401);
    }
    if (!given || !matchesAny(tokens, digest(given))) {
      deps.logger.warn({ ip: c.req.header("x-forwarded-for") ?? null }, "console sign-in refused: wrong token");
      return form(c, next, "That token is not valid.", 401);
    }
    deleteCookie(c, SIGN_IN_COOKIE, { path: BASE });
    setSessionCookie(c, sessions.create(), sessionSeconds);
    deps.logger.info({}, "console sign-in");
    return c.redirect(next, 303);
  });

  return app;
}

/** POST /ui/sign-out: behind the session guard, so it needs the session's CSRF token. */
export function signOutRoute(sessions: Sessions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.post(`${BASE}/sign-out`, (c) => {
    sessions.delete(c.get("session").id);
    clearSessionCookie(c);
    return c.redirect(`${BASE}/sign-in`, 303);
  });
  return app;
}
