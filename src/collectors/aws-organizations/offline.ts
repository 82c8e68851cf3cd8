import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ZtError } from '../../errors/zt-error.js';
import { checkJsonShape } from '../../text/json-shape.js';
import { withoutBom } from '../../text/json-text.js';
import type { Collector, CollectorOutput } from '../types.js';
import { COLLECTOR_ID, type RawAccount, type RawOrganization } from './map.js';
import { readOrganization, type OrganizationReader, type OrganizationsFailure } from './read.js';

// `--aws-organization <dir>`: the organisation as the AWS CLI exports it, one file per call
// zt makes live (docs/aws.md lists the commands), named after the command and, for calls
// about one parent or policy, its id:
//
//   describe-organization.json, list-accounts.json, list-roots.json,
//   list-organizational-units-for-parent-<parent-id>.json, list-accounts-for-parent-<parent-id>.json,
//   list-policies.json, describe-policy-<policy-id>.json, list-targets-for-policy-<policy-id>.json
//
// Every file is read and checked against the shape zt reads when the run starts (exit 2
// naming the file, line and JSON path). The first two are required; a missing file of the
// tree or of the SCPs leaves that part unknown (input_missing), never empty.

const account = z.looseObject({ Id: z.string().regex(/^\d{12}$/), Arn: z.string().optional(), Name: z.string().optional(), State: z.string().optional(), Status: z.string().optional() });
const files = {
  'describe-organization': z.looseObject({ Organization: z.looseObject({ Id: z.string().min(1), MasterAccountId: z.string().regex(/^\d{12}$/), Arn: z.string().optional(), FeatureSet: z.string().optional() }) }),
  'list-accounts': z.looseObject({ Accounts: z.array(account) }),
  'list-roots': z.looseObject({
    Roots: z.array(z.looseObject({ Id: z.string().min(1), Name: z.string().optional(), PolicyTypes: z.array(z.looseObject({ Type: z.string(), Status: z.string() })).optional() })),
  }),
  'list-organizational-units-for-parent': z.looseObject({ OrganizationalUnits: z.array(z.looseObject({ Id: z.string().min(1), Name: z.string().optional(), Arn: z.string().optional() })) }),
  'list-accounts-for-parent': z.looseObject({ Accounts: z.array(account) }),
  'list-policies': z.looseObject({
    Policies: z.array(z.looseObject({ Id: z.string().min(1), Arn: z.string().optional(), Name: z.string().optional(), Description: z.string().optional(), Type: z.string().optional(), AwsManaged: z.boolean().optional() })),
  }),
  'describe-policy': z.looseObject({
    Policy: z.looseObject({
      PolicySummary: z.looseObject({ Id: z.string().min(1), Arn: z.string().optional(), Name: z.string().optional(), Description: z.string().optional(), AwsManaged: z.boolean().optional() }),
      Content: z.string(),
    }),
  }),
  'list-targets-for-policy': z.looseObject({ Targets: z.array(z.looseObject({ TargetId: z.string().min(1), Arn: z.string().optional(), Name: z.string().optional(), Type: z.string() })) }),
} as const;
type Command = keyof typeof files;

/** A file the export does not hold: that part of the organisation is unknown. */
class NotExported extends Error {}

const hint = (command: string): string => `The file is not the output of \`aws organizations ${command} --output json\` (or was edited): fix the value at the named path, or export it again (docs/aws.md, "AWS Organizations offline").`;

export interface OrganizationExport {
  readonly dir: string;
  readonly reader: OrganizationReader;
  readonly organization: RawOrganization;
  readonly accounts: RawAccount[];
}

/** Reads and checks every file of the folder now (bad input: exit 2, before anything is collected). */
export function readOrganizationExport(dir: string, display: string): OrganizationExport {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ZtError('ZT_FILE_UNREADABLE', `${display} is not a folder`, { location: { file: display }, hint: 'Give the folder the export commands of docs/aws.md ("AWS Organizations offline") wrote into.' });
  }
  const names = new Set(readdirSync(dir));
  const loaded = new Map<string, unknown>();
  const load = <C extends Command>(command: C, id?: string): z.output<(typeof files)[C]> | undefined => {
    const name = `${command}${id ? `-${id}` : ''}.json`;
    if (loaded.has(name)) return loaded.get(name) as z.output<(typeof files)[C]>;
    if (!names.has(name)) return undefined;
    const shown = join(display, name);
    const text = readFileSync(join(dir, name), 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(withoutBom(text));
    } catch {
      throw new ZtError('ZT_AWS_EXPORT_INVALID', `not valid JSON; expected the output of \`aws organizations ${command}\``, { location: { file: shown }, hint: hint(command) });
    }
    const checked: unknown = checkJsonShape(files[command], value, { text, file: shown }, { code: 'ZT_AWS_EXPORT_INVALID', hint: hint(command) });
    loaded.set(name, checked);
    return checked as z.output<(typeof files)[C]>;
  };
  const need = <C extends Command>(command: C, id?: string): z.output<(typeof files)[C]> => {
    const got = load(command, id);
    if (got === undefined) throw new NotExported(`${command}${id ? `-${id}` : ''}.json is not in ${display}`);
    return got;
  };
  const organization = load('describe-organization');
  const listed = load('list-accounts');
  if (!organization || !listed) {
    throw new ZtError('ZT_FILE_UNREADABLE', `${display} holds no ${organization ? 'list-accounts.json' : 'describe-organization.json'}`, {
      location: { file: display },
      hint: 'Export the organisation with the commands of docs/aws.md ("AWS Organizations offline"); describe-organization.json and list-accounts.json are required.',
    });
  }
  // Every file of the folder is checked now, whichever the walk will read.
  for (const name of names) {
    const command = (Object.keys(files) as Command[]).filter((c) => name === `${c}.json` || name.startsWith(`${c}-`)).sort((a, b) => b.length - a.length)[0];
    if (command && name.endsWith('.json')) load(command, name === `${command}.json` ? undefined : name.slice(command.length + 1, -'.json'.length));
  }
  const reader: OrganizationReader = {
    describeOrganization: async () => organization.Organization,
    listAccounts: async () => listed.Accounts,
    listRoots: async () => need('list-roots').Roots,
    organizationalUnitsOf: async (id) => need('list-organizational-units-for-parent', id).OrganizationalUnits,
    accountsOf: async (id) => need('list-accounts-for-parent', id).Accounts,
    listServiceControlPolicies: async () => need('list-policies').Policies,
    describePolicy: async (id) => need('describe-policy', id).Policy,
    targetsOf: async (id) => need('list-targets-for-policy', id).Targets,
    async failure(error): Promise<OrganizationsFailure> {
      if (error instanceof NotExported) return { kind: 'input-missing', detail: error.message };
      throw error;
    },
  };
  return { dir: display, reader, organization: organization.Organization, accounts: listed.Accounts };
}

export function offlineOrganizationCollector(exported: OrganizationExport): Collector {
  return {
    id: COLLECTOR_ID,
    description: `AWS Organizations export ${exported.dir}`,
    mode: 'offline',
    async collect(context): Promise<CollectorOutput> {
      const source = `aws-org:${exported.organization.Id}`;
      const read = await readOrganization(exported.reader, exported.organization, exported.accounts, source, context.progress, exported.dir);
      return { source: { collector: COLLECTOR_ID, source, mode: 'offline' }, resources: read.resources, coverage: read.coverage, issues: read.issues };
    },
  };
}
