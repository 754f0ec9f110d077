/**
 * The console's stylesheet, served as /ui/assets/console.css (no CDN, no web fonts: it works
 * offline). Colours keep a contrast of at least 4.5:1 on their backgrounds; status is never
 * told by colour alone (the word is always there).
 */
export const CONSOLE_CSS = `
:root { --fg: #1b2230; --muted: #4a5468; --bg: #ffffff; --soft: #f3f5f9; --line: #d3d8e2; --link: #0b4fc2;
  --ok: #0b6b3a; --ok-bg: #e3f4ea; --bad: #a4161a; --bad-bg: #fde8e8; --warn: #7a4a00; --warn-bg: #fff3d6;
  --run: #0b4fc2; --run-bg: #e4edfd; --focus: #c45f00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, [tabindex]:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; }
.skip { position: absolute; left: -999px; top: 0; background: var(--fg); color: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1rem; background: var(--fg); color: #fff; }
.top a { color: #fff; }
.brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; }
.top nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
.top nav a[aria-current="page"] { text-decoration-thickness: 3px; text-underline-offset: 4px; }
.sign-out { margin-left: auto; }
.top button.link { color: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; margin: .25rem 0 .5rem; word-break: break-word; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
.lead { margin-top: 0; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }
.crumbs { margin: 0; color: var(--muted); }
.count { display: inline-block; min-width: 1.6em; padding: 0 .45em; border-radius: 1em; background: var(--soft); font-size: .9rem; text-align: center; }
.narrow { max-width: 28rem; }
.scroll { position: relative; overflow-x: auto; max-width: 100%; border: 1px solid var(--line); border-radius: 6px; }
.scroll.fit { width: fit-content; }
table { border-collapse: collapse; width: 100%; background: var(--bg); }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--soft); font-weight: 600; white-space: nowrap; }
tbody tr:last-child th, tbody tr:last-child td { border-bottom: 0; }
table.counts { width: auto; min-width: 20rem; }
table.counts td { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; padding: .4rem .6rem; font-weight: 600; }
td.reason, p.reason { overflow-wrap: anywhere; white-space: pre-wrap; max-width: 40rem; }
.split { white-space: nowrap; font-variant-numeric: tabular-nums; }
.status { display: inline-block; padding: 0 .5em; border-radius: 4px; font-weight: 600; font-size: .88rem; background: var(--soft); }
.status-succeeded, .status-ok { color: var(--ok); background: var(--ok-bg); }
.status-failed, .status-reject, .status-firing { color: var(--bad); background: var(--bad-bg); }
.status-partial, .status-interrupted, .status-cancelled, .status-retry { color: var(--warn); background: var(--warn-bg); }
.status-running, .status-queued { color: var(--run); background: var(--run-bg); }
.notice { padding: .6rem .8rem; background: var(--run-bg); border-left: 4px solid var(--run); border-radius: 4px; }
.alert { padding: .6rem .8rem; background: var(--bad-bg); border-left: 4px solid var(--bad); border-radius: 4px; }
section.alert { margin: 1rem 0; }
section.alert h2 { margin-top: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); gap: 1rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .25rem 1rem 1rem; }
.card h2 { margin-top: .75rem; }
form { margin: .5rem 0; }
label { display: block; font-weight: 600; margin: .25rem 0; }
.check { display: flex; gap: .5rem; align-items: flex-start; margin: .4rem 0; }
.check input { margin-top: .3rem; width: 1.1rem; height: 1.1rem; }
.check label { font-weight: 400; margin: 0; }
input[type="text"], input:not([type]), input[type="password"], select {
  font: inherit; padding: .45rem .55rem; border: 1px solid #767f91; border-radius: 4px; width: 100%; max-width: 24rem; background: #fff; color: var(--fg); }
button { font: inherit; padding: .45rem 1rem; border-radius: 4px; border: 1px solid var(--link); background: var(--link); color: #fff; cursor: pointer; min-height: 2.5rem; }
button.danger { background: var(--bad); border-color: var(--bad); }
button.link { background: none; border: 0; padding: 0; min-height: 0; text-decoration: underline; color: var(--link); }
button[disabled] { opacity: .7; cursor: progress; }
form.inline { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
form.inline label { width: 100%; }
form.inline input { flex: 1 1 12rem; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; }
.filters > div { flex: 1 1 12rem; }
.filters .buttons { display: flex; gap: 1rem; align-items: center; flex: 0 1 auto; }
.pager { display: flex; gap: 1rem; margin: .5rem 0; }
dl.facts { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: .5rem 0 1rem; }
dl.facts dt { font-size: .85rem; color: var(--muted); }
dl.facts dd { margin: 0; }
.live { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; margin: .5rem 0 1rem; }
.live progress { width: 100%; height: 1rem; }
pre.config { background: var(--soft); padding: .75rem; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
svg.chart { display: block; }
svg.chart .bar rect { fill: #5b6b8c; }
svg.chart .bar.bad rect { fill: var(--bad); }
del { color: var(--bad); } ins { color: var(--ok); text-decoration: none; font-weight: 600; }
@media (max-width: 600px) {
  main { padding: .75rem; }
  h1 { font-size: 1.35rem; }
  .sign-out { margin-left: 0; }
  th, td { padding: .35rem .45rem; }
}
`;
