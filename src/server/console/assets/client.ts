/**
 * The console's only client script, served as /ui/assets/console.js. Every page works
 * without it; it adds live progress of a running run (server-sent events), confirmation
 * dialogs, a busy state on slow forms, and local times.
 *
 * Invariant: `consoleClient` is served as its own source text (`String(consoleClient)`), so
 * it must be self-contained: no imports, nothing from this module's scope, only browser APIs.
 * It is type-checked with the DOM library like the rest of the code (type imports are erased).
 */
import type { RunCounts, Split } from "../../../engine/index.ts";

export function consoleClient(): void {
  type Counts = RunCounts;

  for (const element of document.querySelectorAll<HTMLTimeElement>("time[datetime]")) {
    const date = new Date(element.dateTime);
    if (Number.isNaN(date.getTime())) continue;
    element.title = element.textContent ?? "";
    element.textContent = date.toLocaleString();
  }

  for (const form of document.querySelectorAll<HTMLFormElement>("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm ?? "Are you sure?")) event.preventDefault();
    });
  }

  for (const form of document.querySelectorAll<HTMLFormElement>("form[data-busy]")) {
    form.addEventListener("submit", () => {
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
      if (!button) return;
      form.setAttribute("aria-busy", "true");
      // Disabled after the submit is under way, so the button's own value still goes.
      setTimeout(() => {
        button.disabled = true;
        button.textContent = form.dataset.busy ?? "Working…";
      });
    });
  }

  const total = (split: Split) => split.added + split.changed + split.removed;
  const show = (counts: Counts) => {
    for (const cell of document.querySelectorAll<HTMLElement>("[data-count]")) {
      const [row, change] = (cell.dataset.count ?? "").split(".") as [string, string | undefined];
      const value =
        change === undefined
          ? counts[row as "rowsRead" | "unchanged" | "invalid"]
          : change === "total"
            ? total(counts[row as "planned"])
            : counts[row as "planned"][change as keyof Split];
      if (typeof value === "number") cell.textContent = value.toLocaleString("en-US");
    }
  };

  const live = document.querySelector<HTMLElement>("[data-live-run]");
  if (live?.dataset.events) {
    const message = live.querySelector<HTMLElement>("[data-run-progress]");
    const bar = live.querySelector<HTMLProgressElement>("[data-run-bar]");
    const status = live.querySelector<HTMLElement>("[data-run-status]");
    const source = new EventSource(live.dataset.events);
    source.addEventListener("progress", (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as { phase: string; counts: Counts };
      show(data.counts);
      const planned = total(data.counts.planned);
      const done = total(data.counts.succeeded) + total(data.counts.failed);
      if (status) status.innerHTML = '<span class="status status-running">running</span>';
      if (bar && planned > 0) bar.value = done / planned;
      if (message) {
        message.textContent =
          data.phase === "planning"
            ? `Reading the model: ${data.counts.rowsRead.toLocaleString("en-US")} rows so far…`
            : `Sending: ${done.toLocaleString("en-US")} of ${planned.toLocaleString("en-US")} records done.`;
      }
    });
    source.addEventListener("finished", (event) => {
      source.close();
      const data = JSON.parse((event as MessageEvent<string>).data) as { status: string; counts: Counts | null };
      if (data.counts) show(data.counts);
      if (bar) bar.value = 1;
      if (message) message.textContent = `The run has finished: ${data.status}. Loading its results…`;
      // The page is rendered again with the final counts, failures and error.
      setTimeout(() => window.location.reload(), 600);
    });
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED && message) {
        message.textContent = "Live updates stopped. Reload the page to see the run's state.";
      }
    });
  }
}
