// The cross-plane check: an AWS IAM role that trusts GitHub's OIDC provider
// (token.actions.githubusercontent.com) and whose `sub` condition admits a repository and
// branch of an audited organisation that has no branch protection. Whoever can push to
// that branch can then assume the role. Derived on aws.iam.role from the roles' trust
// policies and the github.repository resources; a repository of an organisation not in the
// inventory is not judged (it is not listed), and when repositories were not read
// completely the field is unknown (fieldInputs), so the rule is not evaluated.

const PROVIDER = 'token.actions.githubusercontent.com';
const SUB = `${PROVIDER}:sub`;

/** IAM StringLike: `*` any run of characters, `?` one (StringEquals: a literal). */
function matcher(pattern, like) {
  if (!like) return (value) => value === pattern;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const re = new RegExp(`^${source}$`);
  return (value) => re.test(value);
}

const list = (value) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** The `sub` patterns of every Allow statement trusting GitHub's provider (none: not a GitHub Actions role). */
export function githubSubjects(trustPolicy) {
  const statements = list(trustPolicy?.Statement);
  const out = [];
  let trusts = false;
  for (const s of statements) {
    if (s?.Effect !== 'Allow') continue;
    const federated = list(s.Principal?.Federated);
    if (!federated.some((f) => typeof f === 'string' && f.endsWith(`/${PROVIDER}`))) continue;
    trusts = true;
    for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
      const like = /^StringLike(IfExists)?$/.test(operator);
      if (!like && !/^StringEquals(IfExists)?$/.test(operator)) continue;
      for (const [key, values] of Object.entries(keys ?? {})) {
        if (key.toLowerCase() !== SUB) continue;
        for (const v of list(values)) if (typeof v === 'string') out.push({ pattern: v, like });
      }
    }
  }
  return trusts ? out : undefined;
}

/**
 * The refs a role admits that are known unprotected: `repo:<org>/<repo>:ref:refs/heads/<branch>`
 * for each audited repository the pattern admits; a pattern admitting a branch other than the
 * default one (only the default branch's protection is read) or pull requests admits refs
 * anyone with write access can create, and is listed as such.
 */
export function unprotectedRefs(subjects, repositories) {
  const out = new Set();
  for (const { pattern, like } of subjects) {
    const matches = matcher(pattern, like);
    for (const repo of repositories) {
      const a = repo.attributes;
      const base = `repo:${a.org}/${a.name}`;
      // Does the pattern admit this repository at all? (any ref, environment or pull request)
      const defaultRef = `${base}:ref:refs/heads/${a.defaultBranch}`;
      const otherBranch = `${base}:ref:refs/heads/\u0000zt-unprotected-branch`;
      const pullRequest = `${base}:pull_request`;
      if (matches(defaultRef) && a.branchProtected === false) out.add(defaultRef);
      if (matches(otherBranch)) out.add(`${base}:ref:refs/heads/* (any branch)`);
      if (matches(pullRequest)) out.add(pullRequest);
    }
  }
  return [...out].sort();
}

/** @param {import('zod').z} z */
export function oidcAnalyser(z) {
  return {
    kind: 'aws.iam.role',
    inputs: [],
    fieldInputs: { githubActionsUnprotectedRefs: ['github.repository'] },
    output: z.object({
      githubActionsUnprotectedRefs: z
        .array(z.string())
        .optional()
        .describe('GitHub Actions refs (repo:<org>/<repo>:ref:…) of audited repositories that this role trusts through token.actions.githubusercontent.com and that no branch protection guards: pull requests, any branch, or an unprotected default branch (absent: the role does not trust GitHub)'),
    }),
    derive(inventory) {
      const repositories = inventory.ofKind('github.repository');
      const out = new Map();
      for (const role of inventory.ofKind('aws.iam.role')) {
        const subjects = githubSubjects(role.attributes.trustPolicy);
        if (subjects === undefined) continue;
        out.set(role.id, { githubActionsUnprotectedRefs: unprotectedRefs(subjects, repositories) });
      }
      return out;
    },
  };
}
