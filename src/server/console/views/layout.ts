import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { BASE } from "../base.ts";

/**
 * Pages are hono/html tagged templates (Hono's server-side HTML, with the same escaping as its
 * JSX): every interpolated value is escaped, only other templates pass through. Not .tsx,
 * because `npm start` runs these sources through Node's type stripping, which has no JSX.
 */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export { BASE };

export interface PageOptions {
  title: string;
  /** The signed-in session's CSRF token, for the sign-out form; absent on the sign-in page. */
  csrf?: string | undefined;
  nav?: "syncs" | "alerts" | "destinations";
}

const NAV: Array<[NonNullable<PageOptions["nav"]>, string, string]> = [
  ["syncs", `${BASE}`, "Syncs"],
  ["alerts", `${BASE}/alerts`, "Alerts"],
  ["destinations", `${BASE}/destinations`, "Destinations"],
];

export function page(options: PageOptions, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Syncline</title>
<link rel="stylesheet" href="${BASE}/assets/console.css">
<script src="${BASE}/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="${BASE}">Syncline</a>
  ${options.csrf === undefined ? "" : nav(options)}
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`;
}

function nav(options: PageOptions): Html {
  return html`<nav aria-label="Main">
    <ul>
      ${NAV.map(
        ([id, href, label]) =>
          html`<li><a href="${href}"${options.nav === id ? html` aria-current="page"` : ""}>${label}</a></li>`,
      )}
      <li><a href="/docs">API</a></li>
    </ul>
  </nav>
  <form method="post" action="${BASE}/sign-out" class="sign-out">
    ${csrfField(options.csrf!)}
    <button type="submit" class="link">Sign out</button>
  </form>`;
}

export function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

/** A link inside the console; every segment is URL-encoded (names and keys are untrusted). */
export function href(...segments: string[]): string {
  return [BASE, ...segments.map(encodeURIComponent)].join("/");
}

export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
