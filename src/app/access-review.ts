import type { Snapshot } from '../inventory/snapshot.js';
import type { ReviewerRule } from '../review/assign.js';
import { diffReviews, readPreviousReview } from '../review/diff.js';
import { type IdentityMap, readIdentityMap } from '../review/identity-map.js';
import type { Review } from '../review/model.js';
import { pseudonymiseReview } from '../review/pseudonymise.js';
import type { Campaign } from '../review/campaign.js';
import { campaignInScope, principalsOfCampaign, verifyAgainstCampaign } from '../review/verify.js';
import { isReviewScoped, type ReviewScope, scopeTest } from '../review/scope.js';
import { isCampaignFile, readCampaign } from './access-campaign.js';
import { reviewOf } from '../review/review.js';
import type { CollectionIssue } from '../model/coverage.js';
import { analysisFailureIssues } from './analysis-issues.js';

/** A file the user named: its absolute path, and how messages show it. */
export interface NamedFile {
  readonly path: string;
  readonly display: string;
}

export interface AccessReviewRequest {
  readonly toolVersion: string;
  readonly staleDays: number;
  readonly keyMaxAgeDays: number;
  readonly identityMap?: NamedFile;
  /** The previous review (JSON) to diff against. */
  readonly previous?: NamedFile;
  /** Replace names by keyed pseudonyms (key undefined: a random key per run). */
  readonly pseudonymise?: { readonly key: string | undefined };
  /** review.reviewers of .zt/config.yaml. */
  readonly reviewerRules?: readonly ReviewerRule[];
  /** --plane, --source, --namespace, --exclude-namespace. */
  readonly scope?: ReviewScope;
}

/** The file inputs of a review, read before any source so a typo fails fast (exit 2). */
export interface AccessReviewFiles {
  readonly identityMap: { readonly map: IdentityMap; readonly name: string } | null;
  /** The previous review, or the principals of the previous campaign (for `changes`). */
  readonly previous: Pick<Review, 'collectedAt' | 'principals' | 'pseudonymised'> | undefined;
  /** --previous named a campaign: its revocations are verified against this collection. */
  readonly previousCampaign: Campaign | undefined;
}

export async function readAccessReviewFiles(request: AccessReviewRequest): Promise<AccessReviewFiles> {
  const identityMap = request.identityMap
    ? { map: await readIdentityMap(request.identityMap.path, request.identityMap.display), name: request.identityMap.display }
    : null;
  if (!request.previous) return { identityMap, previous: undefined, previousCampaign: undefined };
  // A campaign (kind zt-access-campaign) or a review (kind zt-access-review): told apart by kind.
  if (await isCampaignFile(request.previous.path)) {
    const { campaign } = await readCampaign(request.previous);
    return { identityMap, previous: { ...principalsOfCampaign(campaign), pseudonymised: campaign.pseudonymised ? { method: 'campaign' } : null }, previousCampaign: campaign };
  }
  const previous = await readPreviousReview(request.previous.path, request.previous.display);
  return { identityMap, previous, previousCampaign: undefined };
}

export interface AccessReviewOutcome {
  readonly review: Review;
  /** One ZT_ANALYSIS_CRASHED issue per analyser that threw (a bug in zt, exit 4): its facts are unknown, the planes say so. */
  readonly analysisIssues: readonly CollectionIssue[];
  /** The previous review was pseudonymised and this one is not, or the reverse: principals cannot match. */
  readonly pseudonymMismatch: boolean;
}

/** The quarterly access review of a snapshot: principals × grants, pseudonymised and diffed as asked. */
export function reviewAccess(snapshot: Snapshot, request: AccessReviewRequest, files: AccessReviewFiles): AccessReviewOutcome {
  const built = reviewOf(snapshot, {
    toolVersion: request.toolVersion,
    identityMap: files.identityMap,
    staleDays: request.staleDays,
    keyMaxAgeDays: request.keyMaxAgeDays,
    reviewerRules: request.reviewerRules ?? [],
    scope: request.scope,
  });
  let review = built.review;
  const analysisIssues = analysisFailureIssues(built.analysisFailures, 'the review shows them as unknown (the plane\'s gaps say which)');
  if (request.pseudonymise) review = pseudonymiseReview(review, { key: request.pseudonymise.key });
  // What changed is judged within the scope: the last review's rows outside it are not "removed".
  const previous = isReviewScoped(request.scope) && files.previous ? previousInScope(files, request.scope) : files.previous;
  if (!previous) return { review, analysisIssues, pseudonymMismatch: false };
  review = { ...review, changes: diffReviews(previous, review), verification: files.previousCampaign ? verifyAgainstCampaign(files.previousCampaign, review) : null };
  return { review, analysisIssues, pseudonymMismatch: (previous.pseudonymised === null) !== (review.pseudonymised === null) };
}

/** The previous review's (or campaign's) principals and grants within a scope. */
function previousInScope(files: AccessReviewFiles, scope: ReviewScope): NonNullable<AccessReviewFiles['previous']> {
  const previous = files.previous as NonNullable<AccessReviewFiles['previous']>;
  if (files.previousCampaign) return { ...principalsOfCampaign(campaignInScope(files.previousCampaign, scope)), pseudonymised: previous.pseudonymised };
  const test = scopeTest(scope);
  const principals = previous.principals.flatMap((p) => {
    const row = (g: Review['principals'][number]['grants'][number] | null) => ({ plane: p.plane, type: p.type, name: p.name, source: p.source, grant: g });
    const grants = p.grants.filter((g) => test(row(g)));
    if (p.grants.length > 0 ? grants.length === 0 : !test(row(null))) return [];
    return [{ ...p, grants }];
  });
  return { ...previous, principals };
}
