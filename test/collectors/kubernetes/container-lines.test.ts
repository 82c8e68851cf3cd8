import { describe, expect, it } from 'vitest';
import { containerLines } from '../../../src/collectors/kubernetes/container-lines.js';
import { splitYamlDocuments } from '../../../src/collectors/kubernetes/yaml-documents.js';

const linesOf = (text: string) => splitYamlDocuments(text).map((doc) => containerLines(doc));

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
