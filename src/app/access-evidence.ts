import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ZtError } from '../errors/zt-error.js';
import { buildEvidence, type Evidence, type EvidenceFile, renderChecksums, renderManifest, type VerificationInput, verifyingReviewSchema } from '../review/evidence.js';
import { REVIEW_KIND } from '../review/model.js';
import { renderEvidenceHtml } from '../review/render-evidence.js';
import { checkJsonShape } from '../text/json-shape.js';
import { parseJsonText } from '../text/json-text.js';
import { readCampaign } from './access-campaign.js';
import type { NamedFile } from './access-review.js';

/**
 * `zt access-review evidence`: the campaign's sign-off evidence as a folder an auditor can
 * keep — evidence.html (self-contained), manifest.json (the same facts as data, and every
 * file with its SHA-256), SHA256SUMS (`sha256sum -c`), and a copy of each file it rests on
 * (the campaign, next quarter's verifying review, attachments). The folder is built beside
 * its target and renamed into place, so it is whole or absent.
 */

export interface EvidenceRequest {
  readonly campaign: NamedFile;
  /** The folder to create (absent or empty). */
  readonly out: NamedFile;
  /** Next quarter's review JSON, made with --previous <this campaign>. */
  readonly verification?: NamedFile | undefined;
  /** Further files to keep with the evidence (the pack's HTML, the snapshot…). */
  readonly attachments: readonly NamedFile[];
  /** The day counts are judged at (YYYY-MM-DD); default: the last recording's day. */
  readonly at?: string | undefined;
}

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

async function readBytes(file: NamedFile, what: string): Promise<Buffer> {
  try {
    return await readFile(file.path);
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read ${what} ${file.display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { location: { file: file.display }, cause: error });
  }
}

const HINT = '--verification takes next quarter\'s review as JSON, made with --previous <this campaign> (zt access-review … --previous q4.campaign.json -o json=q1-review.json).';

/** The later review's verification of this campaign; exit 2 for another tool's file, a review without one, or one of another campaign. */
function verificationOf(bytes: Buffer, file: NamedFile, packId: string): VerificationInput {
  const text = bytes.toString('utf8');
  const raw = parseJsonText(text, file.display, 'ZT_REPORT_INVALID');
  if (typeof raw !== 'object' || raw === null || (raw as { kind?: unknown }).kind !== REVIEW_KIND) {
    throw new ZtError('ZT_REPORT_INVALID', `${file.display} is not a zt access review (kind ${REVIEW_KIND})`, { location: { file: file.display }, hint: HINT });
  }
  const review = checkJsonShape(verifyingReviewSchema, raw, { text, file: file.display }, { code: 'ZT_REPORT_INVALID' });
  if (review.verification === null) {
    throw new ZtError('ZT_REPORT_INVALID', `${file.display} verifies no campaign: it was made without --previous <campaign>`, { location: { file: file.display }, hint: HINT });
  }
  if (review.verification.previousPackId !== packId) {
    throw new ZtError('ZT_REPORT_INVALID', `${file.display} verifies campaign ${review.verification.previousPackId}, not this one (${packId})`, { location: { file: file.display }, hint: HINT });
  }
  return { file: file.display, collectedAt: review.collectedAt, packId: review.pack.id, verification: review.verification };
}

/** A folder that may receive the bundle: absent, or empty (removed, then the bundle renamed in). */
async function checkTarget(out: NamedFile): Promise<void> {
  const entries = await readdir(out.path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new ZtError('ZT_USAGE', `--out ${out.display} is a file: evidence is written into a new folder`);
    throw new ZtError('ZT_OUTPUT_UNWRITABLE', `cannot read ${out.display}: ${error.code ?? String(error)}`, { location: { file: out.display } });
  });
  if (entries.length > 0) {
    throw new ZtError('ZT_USAGE', `--out ${out.display} is not empty: evidence is written into a new or empty folder, never over earlier evidence`);
  }
}

export interface EvidenceOutcome {
  readonly evidence: Evidence;
  /** Files written into the bundle, by their path in it. */
  readonly written: readonly string[];
}

export async function writeEvidence(request: EvidenceRequest): Promise<EvidenceOutcome> {
  const campaignBytes = await readBytes(request.campaign, 'campaign');
  const { campaign, text } = await readCampaign(request.campaign);
  if (text !== campaignBytes.toString('utf8')) throw new ZtError('ZT_CAMPAIGN_INVALID', `${request.campaign.display} changed while it was read: run evidence again`);
  await checkTarget(request.out);

  const copies = new Map<string, Buffer>();
  const files: EvidenceFile[] = [];
  const keep = (path: string, source: string, role: EvidenceFile['role'], bytes: Buffer): void => {
    copies.set(path, bytes);
    files.push({ path, source, role, sha256: sha256(bytes), bytes: bytes.length });
  };
  keep('campaign.json', request.campaign.display, 'campaign', campaignBytes);
  let verification: VerificationInput | undefined;
  if (request.verification) {
    const bytes = await readBytes(request.verification, 'review');
    verification = verificationOf(bytes, request.verification, campaign.packId);
    keep('verification.json', request.verification.display, 'verification', bytes);
  }
  const names = new Map<string, string>();
  for (const file of request.attachments) {
    const name = basename(file.path);
    const before = names.get(name);
    if (before !== undefined) throw new ZtError('ZT_USAGE', `--attach ${file.display} and ${before} have the same name (${name}): rename one`);
    names.set(name, file.display);
    keep(`attachments/${name}`, file.display, 'attachment', await readBytes(file, 'attachment'));
  }

  const draft = buildEvidence({ campaign, at: request.at, verification, files });
  const html = renderEvidenceHtml(draft);
  const htmlFile: EvidenceFile = { path: 'evidence.html', source: 'evidence.html', role: 'report', sha256: sha256(html), bytes: Buffer.byteLength(html) };
  const evidence: Evidence = { ...draft, files: [...draft.files, htmlFile] };
  const manifest = renderManifest(evidence);
  const bundle = new Map<string, Buffer | string>([...copies, ['evidence.html', html], ['manifest.json', manifest]]);
  const sums = renderChecksums([...bundle].map(([path, content]) => ({ path, sha256: sha256(content) })));
  bundle.set('SHA256SUMS', sums);

  // Built beside the target and renamed into place: the folder is whole or absent.
  const temp = join(dirname(request.out.path), `.${basename(request.out.path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    for (const [path, content] of bundle) {
      await mkdir(dirname(join(temp, path)), { recursive: true });
      await writeFile(join(temp, path), content);
    }
    await rmdir(request.out.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(temp, request.out.path);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (error instanceof ZtError) throw error;
    throw new ZtError('ZT_OUTPUT_UNWRITABLE', `cannot write the evidence into ${request.out.display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { location: { file: request.out.display }, cause: error });
  }
  return { evidence, written: [...bundle.keys()].sort() };
}
