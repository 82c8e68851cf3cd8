import { gzipSync } from 'node:zlib';
import { ERROR_REPORTER, esc } from './html-page.js';

/** What the table script needs to know about one page's main table. */
export interface TableConfig {
  /** id of the <table>; its header cells carry data-col, its cells data-col and data-sort. */
  readonly table: string;
  /** Word for the rows in the count, e.g. "principals". */
  readonly noun: string;
  /** ids of <select> filters; each filters on the row attribute data-<id>. */
  readonly selects: readonly string[];
  /** Columns sorted descending on their first click (privilege, severity, dates). */
  readonly descFirst: readonly string[];
  /** Rows shown per page: the browser lays out only these (a 10,000-row table took a minute). */
  readonly pageSize: number;
}

/** Controls above a paged table: the filter box, the selects, the count and the pager. */
export function tableControls(placeholder: string, selects: string, initialCount: string): string {
  return `<div class="controls">
<input id="filter" type="search" placeholder="${esc(placeholder)}" aria-label="Filter">
${selects}
<span id="count" class="muted">${esc(initialCount)}</span>
<span class="pager"><button id="prev" type="button" aria-label="Previous page">‹</button> <span id="page" class="muted"></span> <button id="next" type="button" aria-label="Next page">›</button></span>
</div>`;
}

/** One cell: its column, the key it sorts by, and its inner HTML (already escaped). */
export interface TableCell {
  readonly col: string;
  readonly sort: string;
  readonly html: string;
}

/** One row: data-<name> attributes (what the selects filter on), cells, and the text words match. */
export interface TableRow {
  readonly attrs: Readonly<Record<string, string>>;
  readonly cells: readonly TableCell[];
  readonly text: string;
}

function cellsHtml(row: TableRow): string {
  return row.cells.map((c) => `<td data-col="${esc(c.col)}" data-sort="${esc(c.sort)}">${c.html}</td>`).join('');
}

function rowHtml(row: TableRow): string {
  const attrs = Object.entries(row.attrs)
    .map(([k, v]) => ` data-${esc(k)}="${esc(v)}"`)
    .join('');
  return `<tr${attrs}>${cellsHtml(row)}</tr>`;
}

/**
 * A paged table: the first page as HTML (drawn at once, readable without script) and every
 * row as data the script pages through. A browser unpacks and parses data far faster than
 * it builds a DOM: a 10,000-row review as HTML rows took a minute to open.
 */
export function pagedTable(config: TableConfig, headers: readonly (readonly [string, string])[], rows: readonly TableRow[]): string {
  const head = headers.map(([col, title]) => `<th data-col="${esc(col)}" aria-sort="none">${esc(title)}</th>`).join('');
  // {"cols":[…],"rows":[…]}, each row stringified on its own (V8 builds one huge string
  // slowly), then gzipped and base64 (which holds no "<", so nothing from the audited
  // systems can close the block): Chromium took 2–4 s just to read a 35 MB JSON block.
  const rowJson = rows.map((r) => JSON.stringify({ a: r.attrs, k: r.cells.map((c) => c.sort), t: r.text.toLowerCase(), h: cellsHtml(r) }));
  const json = `{"cols":${JSON.stringify(headers.map(([col]) => col))},"rows":[${rowJson.join(',')}]}`;
  const packed = gzipSync(json, { level: 6 }).toString('base64');
  return `<table id="${esc(config.table)}"><thead><tr>${head}</tr></thead><tbody>
${rows.slice(0, config.pageSize).map(rowHtml).join('\n')}
</tbody></table>
<script type="application/gzip;base64" id="${esc(config.table)}-data">${packed}</script>`;
}

/**
 * The inline script of a pagedTable: it sorts (header click or Enter), filters (#filter
 * words against each row's text, the selects against its attributes) and draws one page of
 * rows from the JSON data block, keeps the view in the URL hash so it can be shared or
 * tested (#sort=…&dir=…&filter=…&<select>=…&page=…), and reports script errors on the page
 * (body[data-errors]) so a headless test sees them.
 */
export function tableScript(config: TableConfig): string {
  return `
(function () {
  var config = ${JSON.stringify(config)};
${ERROR_REPORTER}  /** The table's rows: the data block is gzipped JSON in base64, unpacked by the browser's own DecompressionStream. */
  function load(element) {
    var text = atob(element.textContent.trim());
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(JSON.parse);
  }
  function start(data) {
    try {
      var table = document.getElementById(config.table);
      var body = table.tBodies[0];
      var rows = data.rows;
      var filter = document.getElementById('filter');
      var selects = config.selects.map(function (id) { return document.getElementById(id); });
      var count = document.getElementById('count');
      var pageLabel = document.getElementById('page');
      var prevButton = document.getElementById('prev');
      var nextButton = document.getElementById('next');
      var state = { sort: '', dir: 'asc', page: 1 };
      var all = rows.map(function (r, i) { return i; });
      function descFirst(col) { return config.descFirst.indexOf(col) >= 0; }
      /** Row indices in the chosen order (the original order when unsorted; stable). */
      function sorted() {
        var c = data.cols.indexOf(state.sort);
        if (c < 0) return all;
        return all.slice().sort(function (a, b) {
          var x = rows[a].k[c], y = rows[b].k[c], nx = Number(x), ny = Number(y);
          var r = (x !== '' && y !== '' && isFinite(nx) && isFinite(ny)) ? nx - ny : (x < y ? -1 : x > y ? 1 : 0);
          if (r === 0) return a - b;
          return state.dir === 'desc' ? -r : r;
        });
      }
      function draw(indices) {
        var fragment = document.createDocumentFragment();
        indices.forEach(function (i) {
          var tr = document.createElement('tr');
          var attrs = rows[i].a;
          Object.keys(attrs).forEach(function (k) { tr.setAttribute('data-' + k, attrs[k]); });
          tr.innerHTML = rows[i].h;
          fragment.appendChild(tr);
        });
        body.replaceChildren(fragment);
      }
      function apply(updateHash) {
        var text = filter.value.trim().toLowerCase();
        var words = text ? text.split(/\\s+/) : [];
        var matching = sorted().filter(function (i) {
          var r = rows[i];
          return selects.every(function (s) { return !s.value || r.a[s.id] === s.value; }) &&
            words.every(function (w) { return r.t.indexOf(w) >= 0; });
        });
        var pages = Math.max(1, Math.ceil(matching.length / config.pageSize));
        state.page = Math.min(Math.max(1, state.page), pages);
        var from = (state.page - 1) * config.pageSize;
        var page = matching.slice(from, from + config.pageSize);
        draw(page);
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
          var col = th.getAttribute('data-col');
          th.setAttribute('aria-sort', col === state.sort ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none');
        });
        count.textContent = matching.length + ' of ' + rows.length + ' ' + config.noun;
        pageLabel.textContent = 'page ' + state.page + ' of ' + pages;
        prevButton.disabled = state.page <= 1;
        nextButton.disabled = state.page >= pages;
        document.body.setAttribute('data-visible-rows', String(page.length));
        document.body.setAttribute('data-matching-rows', String(matching.length));
        if (updateHash && window.history && history.replaceState) {
          var parts = [];
          if (state.sort) parts.push('sort=' + encodeURIComponent(state.sort), 'dir=' + state.dir);
          if (filter.value) parts.push('filter=' + encodeURIComponent(filter.value));
          selects.forEach(function (s) { if (s.value) parts.push(s.id + '=' + encodeURIComponent(s.value)); });
          if (state.page > 1) parts.push('page=' + state.page);
          try { history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname); } catch (e) { /* file: URLs in some browsers */ }
        }
      }
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        var col = th.getAttribute('data-col');
        if (!col) return;
        th.tabIndex = 0;
        function toggle() {
          if (state.sort === col) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
          else { state.sort = col; state.dir = descFirst(col) ? 'desc' : 'asc'; }
          state.page = 1;
          apply(true);
        }
        th.addEventListener('click', toggle);
        th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
      });
      [filter].concat(selects).forEach(function (el) { el.addEventListener('input', function () { state.page = 1; apply(true); }); });
      prevButton.addEventListener('click', function () { state.page -= 1; apply(true); });
      nextButton.addEventListener('click', function () { state.page += 1; apply(true); });
      var params = {};
      location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
        if (!kv) return;
        var i = kv.indexOf('=');
        var k = decodeURIComponent(i < 0 ? kv : kv.slice(0, i));
        params[k] = decodeURIComponent(i < 0 ? '' : kv.slice(i + 1).replace(/\\+/g, ' '));
      });
      if (params.sort && table.querySelector('th[data-col="' + params.sort + '"]')) {
        state.sort = params.sort;
        state.dir = params.dir === 'asc' || params.dir === 'desc' ? params.dir : (descFirst(params.sort) ? 'desc' : 'asc');
      }
      if (params.filter) filter.value = params.filter;
      selects.forEach(function (s) { if (params[s.id]) s.value = params[s.id]; });
      if (params.page) state.page = Math.max(1, parseInt(params.page, 10) || 1);
      apply(false);
      document.body.setAttribute('data-ready', '1');
    } catch (e) {
      report(String(e && e.message || e));
    }
  }
  load(document.getElementById(config.table + '-data')).then(start, function (e) { report(String(e && e.message || e)); });
})();
`;
}
