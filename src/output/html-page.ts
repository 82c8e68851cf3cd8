/**
 * The shell of zt's self-contained HTML pages (the access review and the audit report):
 * escaping, shared CSS, and the document with a Content-Security-Policy that forbids every
 * fetch, so a page works from a file and can be attached to a ticket. Charts are in
 * html-charts.ts, the sortable, filterable, paged table in html-table.ts.
 */

export function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * CSS both pages share: layout, cards, charts, tables, controls, the error box. Cells may
 * break anywhere (long ids); headers and badges only between words, never inside one.
 */
export const BASE_STYLE = `
:root { --fg:#1b2631; --muted:#5d6d7e; --line:#d5dbdb; --bg:#fbfcfc; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); font-size: 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 130px; }
.card b { display: block; font-size: 22px; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart text { font: 12px system-ui, sans-serif; fill: var(--fg); } svg.chart .num { fill: var(--muted); }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid var(--line); padding: 5px 7px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th { background: #eef2f3; position: sticky; top: 0; overflow-wrap: normal; word-break: keep-all; hyphens: none; }
th[data-col] { cursor: pointer; user-select: none; } th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td ul { margin: 0; padding-left: 16px; } td li { margin: 1px 0; }
.badge { border-radius: 3px; padding: 1px 6px; color: #fff; font-weight: 600; font-size: 12px; white-space: nowrap; overflow-wrap: normal; }
.controls { display: flex; gap: 10px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
.controls input { padding: 5px 8px; min-width: 280px; } .controls select { padding: 4px; }
.pager button { padding: 2px 9px; } .pager button:disabled { opacity: 0.4; }
#errors { background: #fdedec; color: #922b21; padding: 8px; white-space: pre-wrap; }
@media print { .controls { display: none; } th { position: static; } }
`;

/** The document around a page's body: charset, CSP (nothing may be fetched), style, script. */
/**
 * Browser script lines (inside a page script's function) that show any script error in the
 * page's #errors box and count them on <body data-errors>, which the headless tests read.
 * Defines `report(message)` for the script's own failures.
 */
export const ERROR_REPORTER = `
  var errors = 0;
  function report(message) {
    errors += 1;
    var box = document.getElementById('errors');
    box.hidden = false;
    box.textContent += message + '\\n';
    document.body.setAttribute('data-errors', String(errors));
  }
  window.addEventListener('error', function (e) { report(String(e.message)); });
`;

export function htmlPage(page: { readonly title: string; readonly generator: string; readonly style: string; readonly body: string; readonly script: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${esc(page.generator)}">
<title>${esc(page.title)}</title>
<style>${BASE_STYLE}${page.style}</style>
</head>
<body>
<pre id="errors" hidden></pre>
${page.body}
<script>${page.script}</script>
</body>
</html>
`;
}

