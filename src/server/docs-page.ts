/**
 * /docs: a small self-contained page that renders /openapi.json (no CDN: the service often
 * runs where none is reachable). Operations, parameters, bodies, responses and schemas.
 */
export function docsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Syncline API</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 1.5rem; color: #1d2330; }
  h1 { margin-bottom: 0; } .lead { color: #556; margin-top: .25rem; }
  details { border: 1px solid #d5d9e2; border-radius: 6px; margin: .5rem 0; background: #fff; }
  summary { cursor: pointer; padding: .5rem .75rem; font-family: ui-monospace, monospace; }
  .m { display: inline-block; min-width: 4.5rem; font-weight: 700; }
  .get { color: #0a6; } .post { color: #05c; } .s { color: #556; font-family: system-ui, sans-serif; }
  .body { padding: 0 .75rem .75rem; } table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #eef; vertical-align: top; }
  pre { background: #f5f6f9; padding: .5rem; overflow: auto; font-size: 13px; margin: .25rem 0; }
  code { font-family: ui-monospace, monospace; }
</style>
</head>
<body>
<h1 id="title">Syncline API</h1>
<p class="lead" id="description">Loading <a href="./openapi.json">/openapi.json</a>…</p>
<main id="ops"></main>
<h2>Schemas</h2>
<main id="schemas"></main>
<script>
const esc = (t) => String(t ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const pretty = (v) => "<pre>" + esc(JSON.stringify(v, null, 2)) + "</pre>";
const refName = (s) => (s && s.$ref ? s.$ref.split("/").pop() : null);
const schemaLink = (s) => refName(s) ? '<a href="#schema-' + refName(s) + '"><code>' + refName(s) + "</code></a>" : pretty(s);
fetch("./openapi.json").then((r) => r.json()).then((doc) => {
  document.getElementById("title").textContent = doc.info.title + " " + doc.info.version;
  document.getElementById("description").textContent = doc.info.description;
  let html = "";
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      html += '<details><summary><span class="m ' + method + '">' + method.toUpperCase() + "</span>" + esc(path) +
        ' <span class="s">— ' + esc(op.summary) + '</span></summary><div class="body">';
      if (op.security && op.security.length === 0) html += "<p>No token needed.</p>";
      if (op.parameters && op.parameters.length) {
        html += "<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>schema</th><th>description</th></tr>";
        for (const p of op.parameters) {
          const { description, ...schema } = p.schema || {};
          html += "<tr><td><code>" + esc(p.name) + "</code>" + (p.required ? " *" : "") + "</td><td>" + esc(p.in) +
            "</td><td><code>" + esc(JSON.stringify(schema)) + "</code></td><td>" + esc(p.description) + "</td></tr>";
        }
        html += "</table>";
      }
      if (op.requestBody) {
        html += "<h4>Body (JSON, optional)</h4>" + schemaLink(op.requestBody.content["application/json"].schema);
      }
      html += "<h4>Responses</h4><table>";
      for (const [status, res] of Object.entries(op.responses)) {
        const content = Object.entries(res.content || {}).map(([type, c]) => esc(type) + " " + schemaLink(c.schema)).join("<br>");
        html += "<tr><td><b>" + esc(status) + "</b></td><td>" + esc(res.description) + "</td><td>" + content + "</td></tr>";
      }
      html += "</table></div></details>";
    }
  }
  document.getElementById("ops").innerHTML = html;
  let schemas = "";
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    schemas += '<details id="schema-' + esc(name) + '"><summary>' + esc(name) + '</summary><div class="body">' + pretty(schema) + "</div></details>";
  }
  document.getElementById("schemas").innerHTML = schemas;
}).catch((error) => {
  document.getElementById("description").textContent = "Could not load /openapi.json: " + error;
});
</script>
</body>
</html>`;
}
