import { html } from "hono/html";
import type { AlertRule, Available, DestinationCall, DestinationSummary } from "../data.ts";
import { type Html, href, page } from "./layout.ts";
import { duration, number, time, unavailable } from "./parts.ts";

export function alertsPage(alerts: Available<AlertRule[]>, csrf: string): Html {
  return page(
    { title: "Alerts", csrf, nav: "alerts" },
    html`<h1>Alerts</h1>
${unavailable(
  alerts,
  (rules) => html`<div class="scroll" role="region" aria-label="Alert rules" tabindex="0">
<table class="alerts">
  <caption class="sr-only">Alert rules and their state</caption>
  <thead><tr><th scope="col">Rule</th><th scope="col">Sync</th><th scope="col">Condition</th><th scope="col">Channels</th>
  <th scope="col">State</th><th scope="col">Since</th><th scope="col">Last notified</th></tr></thead>
  <tbody>${rules.map(
    (r) => html`<tr><th scope="row">${r.name}</th><td>${r.sync ?? "all syncs"}</td><td>${r.condition}</td>
    <td>${r.channels.join(", ")}</td><td><span class="status status-${r.state}">${r.state}</span></td>
    <td>${time(r.since)}</td><td>${time(r.lastNotifiedAt)}</td></tr>`,
  )}</tbody>
</table>
</div>`,
)}`,
  );
}

export function destinationsPage(destinations: DestinationSummary[], csrf: string): Html {
  return page(
    { title: "Destinations", csrf, nav: "destinations" },
    html`<h1>Destinations</h1>
<div class="scroll" role="region" aria-label="Destinations" tabindex="0">
<table>
  <caption class="sr-only">Configured destinations</caption>
  <thead><tr><th scope="col">Destination</th><th scope="col">Type</th><th scope="col">Syncs</th></tr></thead>
  <tbody>${destinations.map(
    (d) => html`<tr><th scope="row"><a href="${href("destinations", d.name)}">${d.name}</a></th><td>${d.type}</td>
    <td>${d.syncs.map((s, i) => html`${i > 0 ? ", " : ""}<a href="${href("syncs", s)}">${s}</a>`)}</td></tr>`,
  )}</tbody>
</table>
</div>`,
  );
}

export function callsPage(destination: DestinationSummary, calls: Available<DestinationCall[]>, csrf: string): Html {
  return page(
    { title: `Calls to ${destination.name}`, csrf, nav: "destinations" },
    html`<p class="crumbs"><a href="${href("destinations")}">Destinations</a> /</p>
<h1>Calls to ${destination.name}</h1>
<p class="lead">The last calls Syncline made to this ${destination.type} destination, newest first. Secrets are removed from URLs. A destination that is not called over HTTP shows one call per batch written.</p>
${unavailable(
  calls,
  (rows) => html`<div class="scroll" role="region" aria-label="Destination calls" tabindex="0">
<table class="calls">
  <caption class="sr-only">Last calls to ${destination.name}</caption>
  <thead><tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">URL</th><th scope="col">Status</th>
  <th scope="col">Duration</th><th scope="col">Request</th><th scope="col">Response</th><th scope="col">Run</th><th scope="col">Batch</th></tr></thead>
  <tbody>${rows.map(
    (
      call,
    ) => html`<tr><td>${time(call.at)}</td><td>${call.method}</td><td class="reason"><code>${call.url}</code>${call.error ? html`<br>${call.error}` : ""}</td>
    <td>${call.status ?? (call.error ? "no answer" : "—")}</td><td>${duration(call.ms)}</td>
    <td>${number(call.requestBytes)} B</td><td>${number(call.responseBytes)} B</td>
    <td>${call.runId ? html`<a href="${href("runs", call.runId)}"><code>${call.runId}</code></a>` : "—"}</td>
    <td>${call.batch ?? "—"}</td></tr>`,
  )}</tbody>
</table>
</div>`,
)}`,
  );
}
