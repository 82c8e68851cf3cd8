import { markdownText, md, trusted } from '../output/markdown.js';
import { scopeText } from './scope.js';
import { timeText } from '../text/as-of-text.js';
import { flagDescriptions, type Flag, lastUsedText, type Review, type ReviewPlane, reviewPlanes } from './model.js';

/** Markdown for a ticket, a wiki page or a PR: summary, reach paths, changes, then every principal. */

const planeTitle: Readonly<Record<ReviewPlane, string>> = { identity: 'Identity provider', aws: 'AWS IAM', kubernetes: 'Kubernetes' };

const attention: readonly Flag[] = ['inactive_with_access', 'no_mfa', 'weak_mfa', 'public', 'external', 'cross_account', 'old_access_key', 'unused_access_key', 'dangling'];

export function renderMarkdown(review: Review): string {
  // Every line with data in it is an `md` line: each interpolated string is escaped
  // (output/markdown.ts), so no field — a name, a plane or a privilege read back from a
  // --previous review, a date — can reach the Markdown (or the terminal) unescaped.
  const out: string[] = [];
  out.push(md`# Access review — ${timeText(review.collectedAt)}`, '');
  out.push(
    md`Facts as collected at ${timeText(review.collectedAt)} (zt ${review.tool.version}). Stale = no use for more than ${review.thresholds.staleDays} days; access keys older than ${review.thresholds.keyMaxAgeDays} days are flagged.`,
  );
  if (review.pseudonymised) out.push('', md`**Pseudonymised**: people's identities are replaced (${review.pseudonymised.method}).`);
  if (review.identityMap) out.push('', md`Cross-plane mappings declared in: ${review.identityMap}.`);
  if (review.scope) out.push('', md`Scoped to ${scopeText(review.scope)}: only those rows are reviewed (the identity graph is of the whole input).`);
  out.push('', '## Planes covered', '', '| Plane | Covered | Sources | Gaps |', '|---|---|---|---|');
  for (const c of review.planes) {
    out.push(md`| ${planeTitle[c.plane]} | ${trusted(c.covered ? 'yes' : '**no**')} | ${c.sources.join(', ') || '—'} | ${c.gaps.join('; ') || '—'} |`);
  }
  const s = review.summary;
  out.push('', '## Summary', '', md`${s.principals} principals, ${s.grants} grants; ${s.staleWithAccess} stale or never-used principals still hold access.`, '');
  out.push('| Plane | Admin | Write | Read | None |', '|---|---:|---:|---:|---:|');
  for (const plane of reviewPlanes) {
    const b = s.byPlane[plane];
    out.push(md`| ${planeTitle[plane]} | ${b.admin} | ${b.write} | ${b.read} | ${b.none} |`);
  }
  const auth = Object.entries(s.authStrength);
  if (auth.length > 0) out.push('', md`Sign-in strength of human and break-glass accounts (IdP and IAM users): ${auth.map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`).join(', ')}.`);
  const flags = Object.entries(s.flags) as [Flag, number][];
  if (flags.length > 0) {
    out.push('', '| Flag | Principals | Meaning |', '|---|---:|---|');
    for (const [flag, n] of flags) out.push(md`| ${flag} | ${n} | ${flagDescriptions[flag]} |`);
  }

  const admins = review.principals.filter((p) => p.flags.includes('standing_admin'));
  out.push('', md`## Standing admin (${admins.length})`, '');
  if (admins.length === 0) out.push('None.');
  else {
    out.push('| Principal | Plane | Auth | Last used | Flags | Admin through |', '|---|---|---|---|---|---|');
    for (const p of admins) {
      const through = p.grants.filter((g) => g.privilege === 'admin' && g.standing).map((g) => `${g.what} (${g.scope}) via ${g.via}${g.evidence === 'evidenced' ? '' : ` [${g.evidence}]`}`);
      out.push(md`| ${p.name} | ${p.plane} | ${p.auth.strength} | ${lastUsedText(p)} | ${p.flags.join(', ')} | ${through.join('; ')} |`);
    }
  }
  const eligible = review.principals.filter((p) => p.grants.some((g) => g.privilege === 'admin' && !g.standing));
  if (eligible.length > 0) {
    out.push('', md`## Eligible or time-bound admin (${eligible.length})`, '', '| Principal | Plane | Role | Notes |', '|---|---|---|---|');
    for (const p of eligible) {
      for (const g of p.grants.filter((x) => x.privilege === 'admin' && !x.standing)) out.push(md`| ${p.name} | ${p.plane} | ${`${g.what} (${g.scope})`} | ${g.notes.join('; ')} |`);
    }
  }
  const flagged = review.principals.filter((p) => p.flags.some((f) => attention.includes(f)) || (p.privilege !== 'none' && p.flags.includes('stale')));
  out.push('', md`## Needs attention (${flagged.length})`, '');
  if (flagged.length === 0) out.push('Nothing flagged.');
  else {
    out.push('| Principal | Plane | Privilege | Flags | Last used |', '|---|---|---|---|---|');
    for (const p of flagged) out.push(md`| ${p.name} | ${p.plane} | ${p.privilege} | ${p.flags.join(', ')} | ${lastUsedText(p)} |`);
  }

  out.push('', md`## Identity graph: who reaches what across planes (${review.graph.paths.length})`, '');
  out.push(
    'Evidence: *evidenced* = read from the systems\' data; *declared* = from the identity map; *inferred* = from a naming convention (confirm before acting).',
    '',
  );
  if (review.graph.paths.length === 0) out.push('No cross-plane links in the data.');
  else {
    out.push('| From | Path | Reaches | Privilege | Where | Evidence |', '|---|---|---|---|---|---|');
    for (const p of review.graph.paths) {
      out.push(md`| ${p.startLabel} | ${p.steps.slice(1).join(' → ')} | ${p.target} | ${p.privilege} | ${p.scope} | ${p.evidence} |`);
    }
  }

  if (review.changes) {
    const c = review.changes;
    out.push('', md`## Changes since the review of ${timeText(c.previousCollectedAt)}`, '');
    out.push(
      md`${c.counts.principal_added} principals added, ${c.counts.principal_removed} removed; ${c.counts.granted} grants added, ${c.counts.removed} removed, ${c.counts.escalated} escalated, ${c.counts.de_escalated} de-escalated.`,
    );
    if (c.changes.length > 0) {
      out.push('', '| Change | Principal | Plane | Grant | From | To |', '|---|---|---|---|---|---|');
      for (const ch of c.changes) {
        out.push(md`| ${ch.change.replace(/_/g, ' ')} | ${ch.principal} | ${ch.plane} | ${ch.grant ?? '—'} | ${ch.from ?? '—'} | ${ch.to ?? '—'} |`);
      }
    }
  }

  if (review.verification) {
    const v = review.verification;
    out.push('', md`## Revocations of campaign ${v.previousPackId} (${v.revocations.length})`, '');
    out.push(md`${v.counts.carried_out} carried out, ${v.counts.still_present} still present, ${v.counts.not_verified} not verified (their source or plane was not fully collected); ${v.counts.newSinceSignOff} grants are new since that sign-off.`);
    if (v.revocations.length > 0) {
      out.push('', '| State | Principal | Grant | Via | Object | Decided by | On | Detail |', '|---|---|---|---|---|---|---|---|');
      for (const r of v.revocations) out.push(md`| ${r.state.replace(/_/g, ' ')} | ${r.principal} | ${r.grant || 'the account'} | ${r.via || '—'} | ${r.object} | ${r.reviewer} | ${r.date} | ${r.detail} |`);
    }
  }

  for (const plane of reviewPlanes) {
    const list = review.principals.filter((p) => p.plane === plane);
    if (list.length === 0) continue;
    out.push('', md`## ${planeTitle[plane]} principals (${list.length})`, '');
    out.push('| Principal | Type | Status | Owner | Privilege | Auth | Last used | Flags | Grants |', '|---|---|---|---|---|---|---|---|---|');
    for (const p of list) {
      const grants = p.grants.map((g) => `${g.privilege}: ${g.what} (${g.scope})${g.via === 'direct' ? '' : ` via ${g.via}`}${g.evidence === 'evidenced' ? '' : ` [${g.evidence}]`}${g.standing ? '' : ' (not standing)'}`);
      const name = p.email && p.email !== p.name ? `${p.name} (${p.email})` : p.name;
      out.push(
        md`| ${name} | ${p.type} | ${p.status} | ${p.owner ?? '—'} | ${p.privilege} | ${p.auth.strength} | ${lastUsedText(p)} | ${p.flags.join(', ')} | ${trusted(grants.map(markdownText).join('<br>') || '—')} |`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
