import { html } from "hono/html";
import { csrfField, type Html, href, page } from "./layout.ts";

export function signInPage(input: { csrf: string; next: string; error?: string | undefined }): Html {
  return page(
    { title: "Sign in" },
    html`<div class="narrow">
<h1>Sign in</h1>
<p>Use an API token of this service: one of <code>server.tokens</code> or <code>SYNCLINE_API_TOKEN</code>.</p>
${input.error ? html`<p class="alert" role="alert" id="sign-in-error">${input.error}</p>` : ""}
<form method="post" action="${href("sign-in")}">
  ${csrfField(input.csrf)}
  <input type="hidden" name="next" value="${input.next}">
  <label for="token">API token</label>
  <input id="token" name="token" type="password" required autocomplete="current-password"${
    input.error ? html` aria-describedby="sign-in-error" aria-invalid="true"` : ""
  }>
  <button type="submit">Sign in</button>
</form>
</div>`,
  );
}

export interface Confirmation {
  title: string;
  explanation: string;
  action: string;
  fields: Record<string, string>;
  button: string;
  back: string;
}

/** The second step of an action that sends or deletes a lot: it says what will happen. */
export function confirmPage(confirm: Confirmation, csrf: string): Html {
  return page(
    { title: confirm.title, csrf, nav: "syncs" },
    html`<div class="narrow">
<h1>${confirm.title}</h1>
<p>${confirm.explanation}</p>
<form method="post" action="${confirm.action}">
  ${csrfField(csrf)}
  ${Object.entries(confirm.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
  <input type="hidden" name="confirm" value="yes">
  <button type="submit" class="danger">${confirm.button}</button>
  <a href="${confirm.back}">Go back</a>
</form>
</div>`,
  );
}

export function errorPage(input: {
  status: number;
  title: string;
  message: string;
  signedIn: boolean;
  csrf?: string;
}): Html {
  return page(
    { title: input.title, csrf: input.csrf },
    html`<div class="narrow">
<h1>${input.title}</h1>
<p class="reason">${input.message}</p>
<p>${input.signedIn ? html`<a href="${href()}">Back to the syncs</a>` : html`<a href="${href("sign-in")}">Sign in</a>`}</p>
</div>`,
  );
}
