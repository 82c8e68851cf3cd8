import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ZtError } from '../../errors/zt-error.js';
import { checkJsonShape, jsonValuePosition } from '../../text/json-shape.js';
import { parseIsoDateTime } from '../../text/as-of-text.js';
import { withoutBom } from '../../text/json-text.js';
import {
  oktaApp,
  oktaAuthenticator,
  oktaDeviceAssurance,
  oktaEnrollment,
  oktaFactor,
  oktaGroup,
  oktaGroupMember,
  oktaGroupOwner,
  oktaLogStream,
  oktaOrg,
  oktaPolicy,
  oktaRole,
  oktaThreatInsight,
  oktaNetworkZone,
  oktaUser,
} from './export-schema.js';
import { parseOrgUrl } from './org-url.js';
import {
  policyTypes,
  type OktaApp,
  type OktaAuthenticator,
  type OktaDeviceAssurance,
  type OktaEnrollment,
  type OktaFactor,
  type OktaGroup,
  type OktaGroupOwner,
  type OktaLogStream,
  type OktaNetworkZone,
  type OktaPolicy,
  type OktaRaw,
  type OktaRole,
  type OktaThreatInsight,
  type OktaUser,
  type PolicyType,
  type Section,
} from './types.js';

/**
 * The offline export: JSON files in the Management API's own shapes (docs/okta.md has
 * the layout). Every file is read and checked against the shape zt reads
 * (export-schema.ts) when the collector is built, so a malformed file stops the run
 * (exit 2, naming the file, the line and column and the JSON path of the value) before
 * any audit work. A missing optional file is not an error: the kinds it feeds are
 * reported as missing.
 */

const hint = 'Each file holds the JSON the Okta API returns for that endpoint; see "Offline export" in docs/okta.md for the layout.';

const shapes = {
  users: z.array(oktaUser),
  factors: z.array(oktaFactor),
  enrollments: z.array(oktaEnrollment),
  groups: z.array(oktaGroup),
  members: z.array(oktaGroupMember),
  owners: z.array(oktaGroupOwner),
  roles: z.array(oktaRole),
  policies: z.array(oktaPolicy),
  apps: z.array(oktaApp),
  deviceAssurances: z.array(oktaDeviceAssurance),
  authenticators: z.array(oktaAuthenticator),
  logStreams: z.array(oktaLogStream),
  threats: oktaThreatInsight,
  zones: z.array(oktaNetworkZone),
  org: oktaOrg,
};

function invalid(display: string, message: string, line?: number): never {
  throw new ZtError('ZT_EXPORT_INVALID', message, { hint, location: { file: display, ...(line !== undefined ? { line } : {}) } });
}

function lineAt(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

class ExportDir {
  readonly dir: string;
  readonly display: string;
  constructor(dir: string, display: string) {
    this.dir = dir;
    this.display = display;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  shown(name: string): string {
    return `${this.display.replace(/\/$/, '')}/${name}`;
  }

  has(name: string): boolean {
    return existsSync(this.path(name));
  }

  read<S extends z.ZodType>(name: string, schema: S): z.output<S> {
    return this.readWithText(name, schema).value;
  }

  readWithText<S extends z.ZodType>(name: string, schema: S): { value: z.output<S>; text: string } {
    const shown = this.shown(name);
    let text: string;
    try {
      text = readFileSync(this.path(name), 'utf8');
    } catch (error) {
      throw new ZtError('ZT_FILE_UNREADABLE', `cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        location: { file: shown },
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(withoutBom(text));
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message);
      invalid(shown, `not valid JSON (${message})`, position ? lineAt(text, Number(position[1])) : undefined);
    }
    return { value: checkJsonShape(schema, json, { text, file: shown }, { code: 'ZT_EXPORT_INVALID', hint }), text };
  }

  /** A file that may be absent: absent becomes a missing section naming the file. */
  optional<T, S extends z.ZodType>(name: string, schema: S, convert: (value: z.output<S>) => T): Section<T> {
    if (!this.has(name)) return { ok: false, reason: 'input_missing', detail: `the export has no ${this.shown(name)}` };
    return { ok: true, value: convert(this.read(name, schema)) };
  }

  /** A folder of per-object files (`<id>.json`); absent folder → missing section. */
  folder<T, S extends z.ZodType>(name: string, schema: S, convert: (value: z.output<S>) => T): Section<Map<string, T>> {
    const path = this.path(name);
    if (!existsSync(path) || !statSync(path).isDirectory()) return { ok: false, reason: 'input_missing', detail: `the export has no ${this.shown(name)}/ folder` };
    const map = new Map<string, T>();
    for (const file of readdirSync(path).sort()) {
      if (!file.endsWith('.json')) continue;
      map.set(file.slice(0, -'.json'.length), convert(this.read(`${name}/${file}`, schema)));
    }
    return { ok: true, value: map };
  }
}

/** Reads and checks an Okta export folder. `orgUrl` (from --okta) wins over org.json. */
export function readOktaExport(dir: string, display: string, orgUrl?: string): OktaRaw {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ZtError('ZT_FILE_UNREADABLE', `--okta-export ${display} is not a folder`, { hint, location: { file: display } });
  }
  const x = new ExportDir(dir, display);
  if (!x.has('users.json')) invalid(x.shown('users.json'), 'missing: an Okta export needs at least users.json (GET /api/v1/users)');
  // org.json is checked whenever it is there, even when --okta names the org.
  let fromFile: URL | undefined;
  let stamped: string | undefined;
  if (x.has('org.json')) {
    const { value, text } = x.readWithText('org.json', shapes.org);
    stamped = value.exportedAt;
    const parsed = parseOrgUrl(value.orgUrl);
    if (typeof parsed === 'string') {
      const position = jsonValuePosition(text, ['orgUrl']);
      throw new ZtError('ZT_EXPORT_INVALID', `orgUrl: ${JSON.stringify(value.orgUrl.slice(0, 80))} ${parsed}`, {
        hint,
        location: { file: x.shown('org.json'), ...(position ?? {}), path: 'orgUrl' },
      });
    }
    fromFile = parsed;
  }
  const given = orgUrl ?? fromFile?.origin;
  if (!given) invalid(x.shown('org.json'), 'the export does not say which org it is: add org.json {"orgUrl": "https://acme.okta.com"} or pass --okta <org-url>');
  const url = new URL(given);
  // When the export was taken (design §10, time comes from evidence): what its ages are measured from.
  let exportedAt: string | undefined;
  if (stamped !== undefined) {
    const at = parseIsoDateTime(stamped);
    if (!at) invalid(x.shown('org.json'), `exportedAt ${JSON.stringify(stamped)} is not an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:00:00Z`);
    exportedAt = at.toISOString();
  }

  const users: Section<OktaUser[]> = { ok: true, value: x.read('users.json', shapes.users) };
  const factorsDir = x.folder('factors', shapes.factors, (items: OktaFactor[]) => ({ kind: 'factor' as const, items }));
  const enrollDir = x.folder('enrollments', shapes.enrollments, (items: OktaEnrollment[]) => ({ kind: 'enrollment' as const, items }));
  let factors: OktaRaw['factors'];
  if (!factorsDir.ok && !enrollDir.ok) {
    factors = { ok: false, reason: 'input_missing', detail: `the export has neither ${x.shown('factors')}/ nor ${x.shown('enrollments')}/` };
  } else {
    // Enrollments (Identity Engine, complete) win over factors for a user that has both.
    const map: Map<string, { kind: 'factor'; items: OktaFactor[] } | { kind: 'enrollment'; items: OktaEnrollment[] }> = new Map(factorsDir.ok ? factorsDir.value : []);
    if (enrollDir.ok) for (const [id, value] of enrollDir.value) map.set(id, value);
    factors = { ok: true, value: map };
  }

  const policies = Object.fromEntries(
    policyTypes.map((type) => [type, x.optional(`policies-${type}.json`, shapes.policies, (v): OktaPolicy[] => v)]),
  ) as Record<PolicyType, Section<OktaPolicy[]>>;

  return {
    orgUrl: url.origin,
    host: url.host,
    mode: 'offline',
    ...(exportedAt ? { exportedAt } : {}),
    users,
    factors,
    groups: x.optional('groups.json', shapes.groups, (v): OktaGroup[] => v),
    groupMembers: x.folder('group-members', shapes.members, (v) => v.map((u) => u.id)),
    groupRoles: x.folder('group-roles', shapes.roles, (v): OktaRole[] => v),
    groupOwners: x.folder('group-owners', shapes.owners, (v): OktaGroupOwner[] => v),
    userRoles: x.folder('admin-roles', shapes.roles, (v): OktaRole[] => v),
    policies,
    apps: x.optional('apps.json', shapes.apps, (v): OktaApp[] => v),
    deviceAssurances: x.optional('device-assurances.json', shapes.deviceAssurances, (v): OktaDeviceAssurance[] => v),
    authenticators: x.optional('authenticators.json', shapes.authenticators, (v): OktaAuthenticator[] => v),
    threatInsight: x.optional('threats-configuration.json', shapes.threats, (v): OktaThreatInsight => v),
    zones: x.optional('zones.json', shapes.zones, (v): OktaNetworkZone[] => v),
    logStreams: x.optional('log-streams.json', shapes.logStreams, (v): OktaLogStream[] => v),
  };
}
