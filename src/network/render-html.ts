import type { MatrixExplanations } from '../analysis/kubernetes/network-query/matrix-explanations.js';
import type { MatrixResult } from '../analysis/kubernetes/network-query/results.js';
import { ERROR_REPORTER, esc, htmlPage } from '../output/html-page.js';
import { connectionLines } from './render-table.js';

/**
 * `zt network matrix -f html`: one self-contained page (the CSP of output/html-page.ts
 * forbids every fetch) with the matrix and the workload graph — namespaces as boxes,
 * edges with their ports — filtered by namespace and by name in the page, and the
 * explanation of a cell or an edge (the `can-reach` answer, computed when the page was
 * written: matrix-explanations.ts) or of a workload (who reaches it, what it reaches) on a
 * click. Everything the script shows is set as text, never as HTML; the data travels as
 * JSON in a non-executed script element with `<` escaped. Same input, same bytes.
 */

/** Beyond this many rows the page asks for a narrower filter rather than drawing. */
export const MAX_DRAWN = 150;
/** Beyond this many edges the graph is not drawn (the matrix still is). */
export const MAX_EDGES = 2_500;

interface Unit {
  /** `ns/name` for a workload, the namespace for --by namespace. */
  readonly name: string;
  readonly ns: string;
  readonly group: string;
}

export function renderNetworkHtml(matrix: MatrixResult, explanations: MatrixExplanations, tool: { readonly version: string }): string {
  const units: Unit[] =
    matrix.by === 'workload'
      ? matrix.groups.flatMap((g) => g.members.map((m) => ({ name: m, ns: m.slice(0, m.indexOf('/')), group: g.id })))
      : matrix.groups.map((g) => ({ name: g.id, ns: g.id, group: g.id }));
  const explain: Record<string, string> = {};
  for (const [key, answer] of explanations.pairs) explain[key] = connectionLines(answer).join('\n');
  const data = {
    cluster: matrix.cluster,
    by: matrix.by,
    units,
    cells: matrix.cells,
    explain,
    coverage: explanations.coverage,
    maxDrawn: MAX_DRAWN,
    maxEdges: MAX_EDGES,
  };
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const scope = matrix.namespaces.length > 0 ? ` · namespaces ${matrix.namespaces.join(', ')}` : '';
  const coverage = {
    all: 'Click a cell or an edge for the explanation, a workload for who reaches it.',
    connected: 'Click a cell or an edge for the explanation (connected pairs; ask `zt network can-reach` about a denied one), a workload for who reaches it.',
    some: matrix.by === 'workload' ? 'Explanations were computed for the first connected pairs only; `zt network can-reach` answers any pair.' : 'Cells fold many workload pairs; draw `--by workload` for explanations.',
  }[explanations.coverage];
  const body = `<h1>Network: who reaches whom</h1>
<p class="muted">Cluster ${esc(matrix.cluster)}${esc(scope)} · ${matrix.workloadCount} workloads · ${matrix.groups.length} ${matrix.by === 'workload' ? 'connectivity classes' : 'namespaces'} · ${matrix.connectedWorkloadPairs} connected workload pairs · zt ${esc(tool.version)}. Through NetworkPolicy, one hop, any port unless said.</p>
<p class="muted">${esc(coverage)}</p>
<div class="controls">
<input id="filter" type="search" placeholder="Filter workloads by name" aria-label="Filter workloads by name">
<span id="count" class="muted"></span>
<button id="all" type="button">All namespaces</button> <button id="none" type="button">None</button>
</div>
<div id="namespaces" class="controls" role="group" aria-label="Namespaces"></div>
<div class="layout">
<main>
<p id="toomany" hidden></p>
<h2>Matrix <span class="muted">(row → column: ● every port · ◐ some ports · ? conditional only · · none)</span></h2>
<div class="scroll"><table id="matrix"></table></div>
<h2>Graph</h2>
<p id="nograph" class="muted" hidden></p>
<svg id="graph" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="workload graph"></svg>
</main>
<aside id="panel"><h3 id="panel-title">Explanation</h3><p id="panel-verdict" class="muted">Click a cell, an edge or a workload.</p><pre id="panel-text"></pre><ul id="panel-list"></ul></aside>
</div>
<script type="application/json" id="zt-network-data">${json}</script>`;
  return htmlPage({ title: `Network — ${matrix.cluster}`, generator: `zt ${tool.version}`, style: STYLE, body, script: SCRIPT });
}

const STYLE = `
.layout { display: flex; gap: 16px; align-items: flex-start; }
main { flex: 1; min-width: 0; }
aside { position: sticky; top: 8px; width: 420px; max-height: 92vh; overflow: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
aside pre { white-space: pre-wrap; font-size: 12px; }
aside h3 { margin: 0 0 6px; font-size: 15px; overflow-wrap: anywhere; }
.scroll { overflow: auto; max-height: 70vh; }
#matrix { width: auto; }
#matrix th.name { text-align: right; white-space: nowrap; position: sticky; left: 0; background: #eef2f3; }
#matrix td.c { text-align: center; cursor: pointer; min-width: 22px; padding: 2px; }
#matrix td.all { background: #f1948a; } #matrix td.some { background: #f8c471; } #matrix td.cond { background: #f9e79f; } #matrix td.none { color: #aab7b8; }
#matrix td.sel, #matrix th.sel { outline: 2px solid #1f618d; }
svg#graph .edge.sel { stroke: #1f618d; stroke-width: 3; } svg#graph .node.sel circle { fill: #c0392b; }
#namespaces label { white-space: nowrap; } #namespaces input { min-width: 0; }
svg#graph { background: #fff; border: 1px solid var(--line); border-radius: 6px; }
svg#graph .box { fill: #f4f6f7; stroke: #aab7b8; }
svg#graph .ns { font: 600 12px system-ui, sans-serif; fill: #1b2631; }
svg#graph .node circle { fill: #2e86c1; cursor: pointer; } svg#graph .node text { font: 12px system-ui, sans-serif; fill: #1b2631; cursor: pointer; }
svg#graph .edge { fill: none; stroke: #7f8c8d; stroke-width: 1.4; cursor: pointer; } svg#graph .edge.cond { stroke-dasharray: 4 3; }
svg#graph .edge:hover { stroke: #c0392b; stroke-width: 2.5; }
`;

const SCRIPT = `
(function () {
${ERROR_REPORTER}  try {
    var data = JSON.parse(document.getElementById('zt-network-data').textContent);
    var SVG = 'http://www.w3.org/2000/svg';
    var cellOf = {};
    data.cells.forEach(function (c) { c.to.forEach(function (t) { cellOf[c.from + '>' + t] = c; }); });
    var units = data.units;
    var byName = {};
    units.forEach(function (u) { byName[u.name] = u; });
    var namespaces = [];
    units.forEach(function (u) { if (namespaces.indexOf(u.ns) < 0) namespaces.push(u.ns); });
    namespaces.sort();
    var shown = {};
    var filter = document.getElementById('filter');
    var hash = new URLSearchParams(location.hash.slice(1));
    var fromHash = hash.get('ns');
    namespaces.forEach(function (ns) { shown[ns] = fromHash === null || fromHash.split(',').indexOf(ns) >= 0; });
    filter.value = hash.get('q') || '';
    var nsBox = document.getElementById('namespaces');
    namespaces.forEach(function (ns) {
      var label = document.createElement('label');
      var box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = shown[ns];
      box.setAttribute('data-ns', ns);
      box.addEventListener('change', function () { shown[ns] = box.checked; render(); });
      label.appendChild(box);
      label.appendChild(document.createTextNode(' ' + ns));
      nsBox.appendChild(label);
    });
    function setAll(value) {
      namespaces.forEach(function (ns) { shown[ns] = value; });
      Array.prototype.forEach.call(nsBox.querySelectorAll('input'), function (b) { b.checked = value; });
      render();
    }
    document.getElementById('all').addEventListener('click', function () { setAll(true); });
    document.getElementById('none').addEventListener('click', function () { setAll(false); });
    filter.addEventListener('input', render);

    function cell(a, b) { return cellOf[a.group + '>' + b.group]; }
    function mark(c) { if (!c) return ['·', 'none']; if (c.ports.indexOf('*') >= 0) return ['●', 'all']; return c.ports.length > 0 ? ['◐', 'some'] : ['?', 'cond']; }
    function portsText(c) {
      if (!c) return 'no connection';
      var p = c.ports.indexOf('*') >= 0 ? 'every port' : c.ports.join(', ');
      var q = c.conditionalPorts.length > 0 ? 'conditionally ' + c.conditionalPorts.join(', ') : '';
      return [p, q].filter(function (s) { return s !== ''; }).join('; ');
    }
    function visible() {
      var q = filter.value.trim().toLowerCase();
      return units.filter(function (u) { return shown[u.ns] && (q === '' || u.name.toLowerCase().indexOf(q) >= 0); });
    }
    var panelTitle = document.getElementById('panel-title');
    var panelVerdict = document.getElementById('panel-verdict');
    var panelText = document.getElementById('panel-text');
    var panelList = document.getElementById('panel-list');
    function select(selector) {
      Array.prototype.forEach.call(document.querySelectorAll('.sel'), function (e) { e.classList.remove('sel'); });
      Array.prototype.forEach.call(document.querySelectorAll(selector), function (e) { e.classList.add('sel'); });
    }
    function explainPair(a, b) {
      var c = cell(a, b);
      panelTitle.textContent = a.name + ' → ' + b.name;
      panelVerdict.textContent = c ? (c.ports.length > 0 ? 'allowed: ' : 'conditional: ') + portsText(c) : 'denied: no port';
      var text = data.explain[a.group + '>' + b.group];
      var members = a.name === units.filter(function (u) { return u.group === a.group; })[0].name && b.name === units.filter(function (u) { return u.group === b.group; })[0].name;
      if (text === undefined) {
        panelText.textContent = data.by === 'workload'
          ? 'Not computed for this page. Ask: zt network can-reach ' + a.name + ' ' + b.name
          : 'A namespace cell folds every workload pair of the two namespaces: draw the page --by workload for explanations.';
      } else {
        panelText.textContent = (members ? '' : 'Explained for the first workload of each connectivity class (every workload of a class is answered alike by NetworkPolicy):\\n\\n') + text;
      }
      panelList.textContent = '';
      document.body.setAttribute('data-selected', a.name + '>' + b.name);
      select('[data-pair="' + CSS.escape(a.name + '>' + b.name) + '"]');
    }
    function explainNode(u) {
      panelTitle.textContent = u.name;
      var inbound = units.filter(function (v) { return v !== u && cell(v, u); });
      var outbound = units.filter(function (v) { return v !== u && cell(u, v); });
      panelVerdict.textContent = 'reached by ' + inbound.length + ', reaches ' + outbound.length + (data.by === 'workload' ? ' other workloads' : ' other namespaces');
      panelText.textContent = '';
      panelList.textContent = '';
      function item(text) { var li = document.createElement('li'); li.textContent = text; panelList.appendChild(li); }
      item('Who reaches it:');
      inbound.forEach(function (v) { item('← ' + v.name + ': ' + portsText(cell(v, u))); });
      item('What it reaches:');
      outbound.forEach(function (v) { item('→ ' + v.name + ': ' + portsText(cell(u, v))); });
      document.body.setAttribute('data-selected', u.name);
      select('[data-unit="' + CSS.escape(u.name) + '"]');
    }

    var table = document.getElementById('matrix');
    table.addEventListener('click', function (e) {
      var td = e.target.closest('td[data-pair], th[data-unit]');
      if (!td) return;
      if (td.hasAttribute('data-unit')) { explainNode(byName[td.getAttribute('data-unit')]); return; }
      var pair = td.getAttribute('data-pair').split('>');
      explainPair(byName[pair[0]], byName[pair[1]]);
    });
    function drawMatrix(vis) {
      table.textContent = '';
      var head = table.createTHead().insertRow();
      head.appendChild(document.createElement('th'));
      vis.forEach(function (u, i) { var th = document.createElement('th'); th.textContent = String(i + 1); th.title = u.name; head.appendChild(th); });
      var body = table.createTBody();
      vis.forEach(function (a, i) {
        var row = body.insertRow();
        var th = document.createElement('th');
        th.className = 'name';
        th.textContent = (i + 1) + ' ' + a.name;
        th.setAttribute('data-unit', a.name);
        row.appendChild(th);
        vis.forEach(function (b) {
          var c = cell(a, b);
          var m = mark(c);
          var td = row.insertCell();
          td.className = 'c ' + m[1];
          td.textContent = m[0];
          td.title = a.name + ' → ' + b.name + ': ' + portsText(c);
          td.setAttribute('data-pair', a.name + '>' + b.name);
        });
      });
    }
    var graph = document.getElementById('graph');
    graph.addEventListener('click', function (e) {
      var edge = e.target.closest('[data-pair]');
      if (edge) { var pair = edge.getAttribute('data-pair').split('>'); explainPair(byName[pair[0]], byName[pair[1]]); return; }
      var node = e.target.closest('[data-unit]');
      if (node) explainNode(byName[node.getAttribute('data-unit')]);
    });
    function el(name, attrs, parent) {
      var e = document.createElementNS(SVG, name);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      parent.appendChild(e);
      return e;
    }
    function drawGraph(vis) {
      graph.textContent = '';
      var note = document.getElementById('nograph');
      var edges = [];
      vis.forEach(function (a) { vis.forEach(function (b) { var c = cell(a, b); if (a !== b && c) edges.push([a, b, c]); }); });
      if (edges.length > data.maxEdges) {
        note.hidden = false;
        note.textContent = edges.length + ' edges are too many to draw: narrow the namespaces or the filter.';
        graph.setAttribute('width', '0'); graph.setAttribute('height', '0');
        return;
      }
      note.hidden = true;
      var groups = [];
      vis.forEach(function (u) {
        var g = groups.filter(function (x) { return x.ns === u.ns; })[0];
        if (!g) groups.push(g = { ns: u.ns, units: [] });
        g.units.push(u);
      });
      var W = 250, ROW = 24, HEAD = 26, GAP = 70;
      var columns = Math.max(1, Math.min(4, Math.ceil(Math.sqrt(groups.length))));
      var at = {};
      var defs = el('defs', {}, graph);
      var marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' }, defs);
      el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#7f8c8d' }, marker);
      var y = 10, height = 0, width = 0;
      for (var r = 0; r < groups.length; r += columns) {
        var rowGroups = groups.slice(r, r + columns);
        var rowHeight = 0;
        rowGroups.forEach(function (g, i) {
          var x = 10 + i * (W + GAP);
          var h = HEAD + g.units.length * ROW + 8;
          rowHeight = Math.max(rowHeight, h);
          var box = el('g', { 'data-ns': g.ns }, graph);
          el('rect', { class: 'box', x: String(x), y: String(y), width: String(W), height: String(h), rx: '6' }, box);
          el('text', { class: 'ns', x: String(x + 8), y: String(y + 17) }, box).textContent = g.ns;
          g.units.forEach(function (u, j) {
            var cx = x + 16, cy = y + HEAD + j * ROW + ROW / 2;
            at[u.name] = [cx, cy, x];
            var node = el('g', { class: 'node', 'data-unit': u.name }, box);
            el('circle', { cx: String(cx), cy: String(cy), r: '6' }, node);
            var label = data.by === 'workload' ? u.name.slice(u.name.indexOf('/') + 1) : u.name;
            el('text', { x: String(cx + 12), y: String(cy + 4) }, node).textContent = label.length > 30 ? label.slice(0, 29) + '…' : label;
            el('title', {}, node).textContent = u.name;
          });
          width = Math.max(width, x + W + 10);
        });
        y += rowHeight + GAP / 2;
        height = y;
      }
      var layer = el('g', {}, graph);
      edges.forEach(function (e) {
        var a = at[e[0].name], b = at[e[1].name];
        // Boxes in one column: a curve on their left; else from the side of one box to the other.
        var sx = a[0], ex = b[0], mx;
        if (a[2] === b[2]) { sx = a[0] - 7; ex = b[0] - 7; mx = sx - Math.min(120, 30 + Math.abs(b[1] - a[1]) / 3); }
        else {
          if (a[2] < b[2]) { sx = a[2] + W; ex = b[0] - 7; } else { sx = a[0] - 7; ex = b[2] + W; }
          mx = (sx + ex) / 2;
        }
        var path = el('path', { class: 'edge' + (e[2].ports.length === 0 ? ' cond' : ''), d: 'M ' + sx + ' ' + a[1] + ' C ' + mx + ' ' + a[1] + ', ' + mx + ' ' + b[1] + ', ' + ex + ' ' + b[1], 'marker-end': 'url(#arrow)', 'data-pair': e[0].name + '>' + e[1].name }, layer);
        el('title', {}, path).textContent = e[0].name + ' → ' + e[1].name + ': ' + portsText(e[2]);
      });
      graph.setAttribute('width', String(width));
      graph.setAttribute('height', String(height));
      document.body.setAttribute('data-edges', String(edges.length));
    }
    function render() {
      var vis = visible();
      document.getElementById('count').textContent = vis.length + ' of ' + units.length + (data.by === 'workload' ? ' workloads' : ' namespaces');
      var tooMany = document.getElementById('toomany');
      var params = [];
      var chosen = namespaces.filter(function (ns) { return shown[ns]; });
      if (chosen.length < namespaces.length) params.push('ns=' + encodeURIComponent(chosen.join(',')));
      if (filter.value.trim() !== '') params.push('q=' + encodeURIComponent(filter.value.trim()));
      history.replaceState(null, '', params.length > 0 ? '#' + params.join('&') : location.pathname + location.search);
      document.body.setAttribute('data-visible', String(vis.length));
      if (vis.length > data.maxDrawn) {
        tooMany.hidden = false;
        tooMany.textContent = vis.length + ' rows are too many to draw: choose fewer namespaces or filter by name (at most ' + data.maxDrawn + ').';
        table.textContent = '';
        graph.textContent = '';
        return;
      }
      tooMany.hidden = true;
      drawMatrix(vis);
      drawGraph(vis);
    }
    render();
    document.body.setAttribute('data-ready', '1');
  } catch (e) {
    report(e && e.stack ? e.stack : String(e));
  }
})();
`;
