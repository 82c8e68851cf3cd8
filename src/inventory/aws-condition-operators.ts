/**
 * The IAM condition operators AWS documents (IAM User Guide, "Condition operators"), lower
 * case, without the `…IfExists` suffix and the `ForAllValues:`/`ForAnyValue:` prefixes.
 * Shared by the evaluator (an operator outside this list is never true) and the AWS
 * collector (which warns about a policy that uses one).
 */
export const CONDITION_OPERATORS: readonly string[] = [
  'stringequals', 'stringnotequals', 'stringequalsignorecase', 'stringnotequalsignorecase', 'stringlike', 'stringnotlike',
  'numericequals', 'numericnotequals', 'numericlessthan', 'numericlessthanequals', 'numericgreaterthan', 'numericgreaterthanequals',
  'dateequals', 'datenotequals', 'datelessthan', 'datelessthanequals', 'dategreaterthan', 'dategreaterthanequals',
  'bool', 'binaryequals', 'ipaddress', 'notipaddress', 'arnequals', 'arnlike', 'arnnotequals', 'arnnotlike', 'null',
];

const known = new Set(CONDITION_OPERATORS);

/** `ForAnyValue:StringEqualsIfExists` → `stringequals`; then whether AWS documents it (`Null` takes no IfExists). */
export function conditionOperatorKnown(operator: string): boolean {
  let op = operator.toLowerCase().replace(/^(foranyvalue|forallvalues):/, '');
  if (op.endsWith('ifexists') && op !== 'ifexists') op = op.slice(0, -'ifexists'.length);
  return known.has(op);
}

/** The operators of a policy document's statements that AWS does not document, sorted. */
export function unknownConditionOperators(document: { readonly Statement: readonly { readonly Condition?: Readonly<Record<string, unknown>> }[] }): string[] {
  const out = new Set<string>();
  for (const statement of document.Statement) for (const operator of Object.keys(statement.Condition ?? {})) if (!conditionOperatorKnown(operator)) out.add(operator);
  return [...out].sort();
}
