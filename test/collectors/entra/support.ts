import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { entraSource } from '../../../src/collectors/entra/source.js';
import { CommandOptions } from '../../../src/collectors/source-options.js';
import type { CollectorContext, CollectorOutput } from '../../../src/collectors/types.js';
import { configSchema, type ZtConfig } from '../../../src/config/config.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { loadFixtureTenant, startFakeGraph, type FakeGraph, type FakeGraphOptions } from '../../support/fake-graph.mjs';
import { Redactor } from '../../../src/text/redact.js';
import { networkOf } from '../../support/network.js';

export const fixtureDir = fileURLToPath(new URL('../../../fixtures/collectors/entra/contoso', import.meta.url));
export const TENANT = 'c0ffee00-0000-4000-8000-00000000c001';
export const CLIENT_ID = '11111111-2222-4000-8000-333333333333';
/** A canary: if this string shows up in any output, a secret leaked. */
export const CANARY_SECRET = 'CANARY~s3cr3t-Zt-DoNotLeak-7f3a9';

export const testConfig: ZtConfig = configSchema.parse({
  identity: { breakGlass: ['breakglass*@contoso.onmicrosoft.com'], serviceAccounts: ['svc-*@contoso.example'] },
});

/** Plain role assignments (what tenants without PIM return) derived from the PIM fixture. */
function plainAssignments(data: Record<string, unknown>): unknown[] {
  return (data.roleAssignmentScheduleInstances as Record<string, unknown>[]).filter((a) => a.assignmentType === 'Assigned').map(({ id, principalId, roleDefinitionId, directoryScopeId, principal }) => ({ id, principalId, roleDefinitionId, directoryScopeId, principal }));
}

/** Starts the fake Graph with the Contoso fixture tenant and trusts its certificate. */
export async function contosoGraph(overrides: Partial<FakeGraphOptions> = {}): Promise<FakeGraph> {
  const data = loadFixtureTenant(fixtureDir);
  data.roleAssignments = plainAssignments(data);
  const graph = await startFakeGraph({ tenant: TENANT, clientId: CLIENT_ID, clientSecret: CANARY_SECRET, data, pageSize: 3, ...overrides });
  setDefaultCACertificates([...getCACertificates('default'), graph.ca]);
  return graph;
}

export function envFor(graph: FakeGraph, extra: Record<string, string> = {}): Record<string, string> {
  return { AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_SECRET: CANARY_SECRET, ZT_GRAPH_URL: graph.graphUrl, ZT_ENTRA_AUTHORITY: graph.authority, ...extra };
}

export function contextFor(env: Record<string, string>, config: ZtConfig = testConfig): CollectorContext {
  return { signal: new AbortController().signal, progress: () => {}, now: new Date('2026-11-23T12:00:00Z'), env, cwd: process.cwd(), config, network: networkOf(env), redactor: new Redactor() };
}

/** Runs the real collector the way the CLI builds it. */
export async function collectLive(graph: FakeGraph, options: Record<string, unknown> = {}, env: Record<string, string> = envFor(graph), config?: ZtConfig): Promise<CollectorOutput> {
  const context = contextFor(env, config);
  const [collector] = await entraSource.collectors(new CommandOptions({ entra: TENANT, ...options }), { cwd: context.cwd, env: context.env });
  return collector!.collect(context);
}

export const byKind = (output: CollectorOutput, kind: string): Resource[] => output.resources.filter((r) => r.kind === kind);
export const find = (output: CollectorOutput, id: string): Resource => {
  const r = output.resources.find((x) => x.id === id || x.id.endsWith(`/${id}`));
  if (!r) throw new Error(`no resource ${id}`);
  return r;
};
