import { describe, expect, it } from 'vitest';
import type { MatrixResult } from '../../../src/analysis/kubernetes/network-query/results.js';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { renderNetworkHtml } from '../../../src/network/render-html.js';

// The page's data is outside text (names from manifests): it must stay data.

const hostile = 'shop/</script><script>alert(1)</script>';
const matrix: MatrixResult = {
  version: 1,
  query: 'matrix',
  cluster: 'k8s:<b>x</b>',
  by: 'workload',
  namespaces: [],
  workloadCount: 2,
  groups: [
    { id: 'g1', members: [hostile] },
    { id: 'g2', members: ['shop/db'] },
  ],
  connectedGroupPairs: 1,
  connectedWorkloadPairs: 1,
  cells: [{ from: 'g1', to: ['g2'], ports: ['TCP/5432'], conditionalPorts: [] }],
  notes: [],
};

describe('the network HTML page', () => {
  it('keeps outside text out of the markup: the data block escapes <, the header escapes HTML', () => {
    const html = renderNetworkHtml(matrix, { pairs: new Map(), coverage: 'connected' }, { version: '1.0.0' });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('k8s:&lt;b&gt;x&lt;/b&gt;');
    const data = /<script type="application\/json" id="zt-network-data">([^<]*)<\/script>/.exec(html);
    expect((JSON.parse(data?.[1] ?? '{}') as { units: { name: string }[] }).units[0]?.name).toBe(hostile);
    // Exactly two script elements: the data and the page's own.
    expect(html.match(/<script/g)?.length).toBe(2);
  });

  it('is written by zt network matrix -f html, byte for byte the same each time; other queries refuse html', async () => {
    const page = async () => {
      const io = memoryIo();
      expect(await run(['network', 'matrix', '--demo', '-q', '-f', 'html'], io)).toBe(0);
      return io.out();
    };
    const first = await page();
    expect(first).toMatch(/^<!doctype html>/);
    expect(await page()).toBe(first);
    const io = memoryIo();
    expect(await run(['network', 'who-can-reach', 'shop/cart', '--demo', '-q', '-f', 'html'], io)).toBe(2);
    expect(io.err()).toContain('-f html draws the connectivity matrix and graph: it is a format of zt network matrix, not of who-can-reach');
  });
});
