/**
 * What an Okta access-policy rule of verification method `AUTH_METHOD_CHAIN` demands.
 *
 * Okta's shape: `chains` lists alternative chains; each chain step names
 * `authenticationMethods` (any one of them satisfies the step) and `next`, the
 * alternative steps that follow. So every path from a chain's first step to a step
 * without `next` is one way to sign in, and the rule is only as strong as its weakest path.
 * A path is multifactor when its steps together guarantee two factor classes (knowledge,
 * possession, inherence); a step guarantees only the classes every one of its methods
 * gives. Anything the shape does not let us read (a method we do not know, a step
 * without methods) guarantees nothing, so it can only make the rule weaker.
 */

type FactorClass = 'knowledge' | 'possession' | 'inherence';

/** Okta authenticator keys and the factor class each proves (Okta's "Authenticators" reference). */
const classOfKey: Readonly<Record<string, FactorClass>> = {
  okta_password: 'knowledge',
  security_question: 'knowledge',
  okta_email: 'possession',
  phone_number: 'possession',
  okta_verify: 'possession',
  google_otp: 'possession',
  webauthn: 'possession',
  smart_card_idp: 'possession',
  yubikey_token: 'possession',
  rsa_token: 'possession',
  symantec_vip: 'possession',
  duo: 'possession',
  custom_otp: 'possession',
  custom_app: 'possession',
  onprem_mfa: 'possession',
};

/**
 * Methods phishing resistant by construction: FIDO2 and smart cards. Okta FastPass counts
 * only when the step itself requires phishing resistance (`phishingResistant: REQUIRED`),
 * since whether a bare signed nonce resists phishing depends on the device and the config.
 */
const phishingResistantKeys: ReadonlySet<string> = new Set(['webauthn', 'smart_card_idp']);

interface MethodFacts {
  readonly classes: ReadonlySet<FactorClass>;
  readonly phishingResistant: boolean;
}

const nothing: MethodFacts = { classes: new Set(), phishingResistant: false };

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

function methodFacts(value: unknown): MethodFacts {
  const method = record(value);
  const key = typeof method?.key === 'string' ? method.key : undefined;
  const factor = key === undefined ? undefined : classOfKey[key];
  if (!method || key === undefined || factor === undefined) return nothing;
  const classes = new Set<FactorClass>([factor]);
  // A possession factor unlocked by a PIN or biometrics also proves the user (Okta's userVerification REQUIRED).
  if (factor === 'possession' && method.userVerification === 'REQUIRED') classes.add('inherence');
  return { classes, phishingResistant: factor === 'possession' && (method.phishingResistant === 'REQUIRED' || phishingResistantKeys.has(key)) };
}

/** What one step guarantees: only what every one of its alternative methods gives. */
function stepFacts(step: Record<string, unknown>): MethodFacts {
  const methods = Array.isArray(step.authenticationMethods) ? step.authenticationMethods.map(methodFacts) : [];
  if (methods.length === 0) return nothing;
  const classes = new Set([...methods[0]!.classes].filter((c) => methods.every((m) => m.classes.has(c))));
  return { classes, phishingResistant: methods.every((m) => m.phishingResistant) };
}

interface PathFacts {
  readonly multifactor: boolean;
  readonly phishingResistant: boolean;
}

// Okta allows at most three steps per chain; the bound keeps a malformed, deeply nested export finite.
const maxDepth = 8;

/** The weakest of the paths that start at this step, given what the steps before it guaranteed. */
function weakestPath(value: unknown, before: ReadonlySet<FactorClass>, phishingResistantBefore: boolean, depth: number): PathFacts {
  const step = record(value);
  if (!step || depth > maxDepth) return { multifactor: false, phishingResistant: false };
  const facts = stepFacts(step);
  const classes = new Set([...before, ...facts.classes]);
  const phishingResistant = phishingResistantBefore || facts.phishingResistant;
  const next = Array.isArray(step.next) ? step.next : [];
  if (next.length === 0) return { multifactor: classes.size >= 2, phishingResistant };
  const paths = next.map((n) => weakestPath(n, classes, phishingResistant, depth + 1));
  return { multifactor: paths.every((p) => p.multifactor), phishingResistant: paths.every((p) => p.phishingResistant) };
}

/**
 * Whether every way through the chains is multifactor, and whether every one of them also
 * passes a phishing-resistant step. No chains at all demands nothing.
 */
export function methodChainFacts(chains: readonly unknown[] | undefined): { requiresMfa: boolean; requiresPhishingResistantMfa: boolean } {
  if (!chains || chains.length === 0) return { requiresMfa: false, requiresPhishingResistantMfa: false };
  const paths = chains.map((chain) => weakestPath(chain, new Set(), false, 1));
  const requiresMfa = paths.every((p) => p.multifactor);
  return { requiresMfa, requiresPhishingResistantMfa: requiresMfa && paths.every((p) => p.phishingResistant) };
}
