import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { startFakeKube, writeKubeconfig, type FakeKube } from '../../support/fake-kube-api.js';
import { istioGroups, listsOf, liveOnlyObjects, objects } from './fixtures.js';
import { live, snapshotOf } from './helpers.js';

// A 200 whose body is not a list is an API error for that kind (missing), never
// "complete, zero objects": the pods list answering `{}` must not let workload rules pass.
let servers: FakeKube[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function collectWith(body: string, onContinue = false) {
  const server = await startFakeKube({
    lists: listsOf([...objects, ...liveOnlyObjects]),
    groups: istioGroups,
    faults: { '/api/v1/pods': [{ body, ...(onContinue ? { onContinue: true } : {}) }] },
    ...(onContinue ? { maxPage: 1 } : {}),
  });
  servers.push(server);
  const kubeconfig = writeKubeconfig(server.kubeconfig({ context: 'prod' }));
  return { kubeconfig, snapshot: await snapshotOf([live(kubeconfig, onContinue ? { pageSize: 1 } : {})]) };
}

describe('live Kubernetes: list answers are checked before they count', () => {
  it.each([
    ['{}', 'no items'],
    ['{"kind":"PodList","items":null}', 'items that are not a list'],
    ['{"kind":"PodList","items":"nope"}', 'items that are not a list'],
    ['{"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcd is down","code":500}', 'a Status (Failure)'],
    ['[1,2]', 'a body that is not a JSON object'],
  ])('pods answered with %s', async (body, problem) => {
    const { snapshot } = await collectWith(body);
    // Workloads come from several lists (Deployments, DaemonSets, … and bare Pods): one failing makes the kind partial.
    expect(snapshot.coverage['k8s.workload']).toMatchObject({ state: 'partial', reason: 'api_error' });
    expect(snapshot.issues).toContainEqual(
      expect.objectContaining({ code: 'ZT_COLLECT_API_ERROR', severity: 'error', message: expect.stringContaining(`the server answered 200 with ${problem}`) }),
    );
    expect(snapshot.coverage['k8s.namespace']).toEqual({ state: 'complete' });
  });

  it('a valid empty list is still complete with zero objects', async () => {
    const { snapshot } = await collectWith('{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[]}');
    expect(snapshot.coverage['k8s.workload']).toEqual({ state: 'complete' });
  });

  it('a bad later page makes the kind missing too (all pages or none)', async () => {
    const { snapshot } = await collectWith('{}', true);
    expect(snapshot.coverage['k8s.workload']).toMatchObject({ state: 'partial', reason: 'api_error' });
    expect(snapshot.issues).toContainEqual(expect.objectContaining({ message: expect.stringContaining('cannot list pods: the server answered 200 with no items') }));
  });

  it('no workload rule reads its data as complete when the pods list was not a list', async () => {
    const { kubeconfig } = await collectWith('{}');
    const io = memoryIo();
    await run(['audit', '--kubeconfig', kubeconfig, '-f', 'json', '-q', '--fail-on', 'none'], io);
    const report = JSON.parse(io.out()) as { rules: { id: string; kind: string }[]; ruleResults: { ruleId: string; coverage: string }[] };
    const kindOf = new Map(report.rules.map((r) => [r.id, r.kind]));
    const workload = report.ruleResults.filter((r) => kindOf.get(r.ruleId) === 'k8s.workload');
    expect(workload.length).toBeGreaterThan(5);
    expect(workload.every((r) => r.coverage === 'partial')).toBe(true);
  });
});
