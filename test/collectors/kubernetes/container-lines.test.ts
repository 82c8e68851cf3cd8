import { describe, expect, it } from 'vitest';
import { containerLines, listItemContainerLines } from '../../../src/collectors/kubernetes/container-lines.js';
import { parseJsonWithPositions } from '../../../src/collectors/kubernetes/json-positions.js';
import { itemLines, splitYamlDocuments } from '../../../src/collectors/kubernetes/yaml-documents.js';

const linesOf = (text: string) => splitYamlDocuments(text).map((doc) => containerLines(doc)?.lines);

describe('containerLines: where each container and env var of a manifest is', () => {
  it('reads Helm-style (indented) and kubectl-style (compact) sequences, quoted names, names after other keys', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  initContainers:', // 5
      '  - name: init',
      '    image: busybox',
      '  containers:',
      '    - image: nginx',
      '      name: "web"', // 10
      '      env:',
      '      - name: A',
      '        value: "1"',
      '      - name: \'B\' # quoted, commented',
      '    - name: side # a comment', // 15
      '      ports:',
      '      - name: http',
      '        containerPort: 80',
      '  volumes:',
      '  - name: data', // 20
    ].join('\n');
    expect(linesOf(text)).toEqual([{ init: 6, side: 15, web: 9, 'web/A': 12, 'web/B': 14 }]);
  });

  it('counts lines from the start of the file across documents', () => {
    const text = ['kind: A', '---', 'spec:', '  containers:', '  - name: x'].join('\n');
    expect(linesOf(text)).toEqual([undefined, { x: 5 }]);
  });

  it('drops a name given twice (the line would be a guess) and reads no flow style', () => {
    const text = ['spec:', '  containers:', '  - name: x', '  initContainers:', '  - name: x', '  - name: y', 'other:', '  containers: [{name: z}]'].join('\n');
    expect(linesOf(text)).toEqual([{ y: 6 }]);
  });
});

describe('containerLines: columns, JSON and the items of a List', () => {
  it('gives the column of the entry\'s dash in YAML', () => {
    const text = ['spec:', '  containers:', '    - name: x', '      env:', '      - name: A'].join('\n');
    expect(splitYamlDocuments(text).map((doc) => containerLines(doc))).toEqual([{ lines: { x: 3, 'x/A': 5 }, columns: { x: 5, 'x/A': 7 } }]);
  });

  it('reads JSON, compact or pretty, at the entry\'s `{`; strings holding braces and escapes do not shift it', () => {
    const compact = '{"kind":"Pod","metadata":{"name":"a{b\\"}"},"spec":{"containers":[{"name":"x","env":[{"name":"A"}]},{"name":"y"}]}}';
    const column = (text: string) => compact.indexOf(text) + 1;
    expect(splitYamlDocuments(compact).map((doc) => containerLines(doc))).toEqual([
      { lines: { x: 1, 'x/A': 1, y: 1 }, columns: { x: column('{"name":"x"'), 'x/A': column('{"name":"A"'), y: column('{"name":"y"') } },
    ]);
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);
    expect(splitYamlDocuments(pretty).map((doc) => containerLines(doc)?.lines)).toEqual([{ x: 8, 'x/A': 11, y: 16 }]);
  });

  it('reads each item of a List alone, so a name in two items is found in both', () => {
    const yamlList = ['kind: List', 'items:', '- kind: Pod', '  spec:', '    containers:', '    - name: app', '- kind: Pod', '  spec:', '    containers:', '    - name: app', 'metadata: {}'].join('\n');
    const [doc] = splitYamlDocuments(yamlList);
    expect(listItemContainerLines(doc!, itemLines(doc!, 2), 2)).toEqual([{ lines: { app: 6 }, columns: { app: 5 } }, { lines: { app: 10 }, columns: { app: 5 } }]);
    const jsonText = JSON.stringify({ kind: 'List', items: [{ spec: { containers: [{ name: 'app' }] } }, { spec: {} }] });
    const [json] = splitYamlDocuments(jsonText);
    expect(listItemContainerLines(json!, itemLines(json!, 2), 2)).toEqual([{ lines: { app: 1 }, columns: { app: jsonText.indexOf('{"name":"app"') + 1 } }, undefined]);
    // An item count that does not match: nothing is guessed.
    expect(listItemContainerLines(json!, undefined, 3)).toEqual([]);
  });

  it('JSON it cannot read gives no positions, never a wrong one', () => {
    expect(parseJsonWithPositions('{"a": [1, 2,]}')).toBeUndefined();
    expect(parseJsonWithPositions('{"a": 1} trailing')).toBeUndefined();
    expect(parseJsonWithPositions('['.repeat(600) + ']'.repeat(600))).toBeUndefined();
    expect(parseJsonWithPositions('{"a": "\\u00e9", "b": -1.5e3}')?.value).toEqual({ a: 'é', b: -1500 });
  });
});

