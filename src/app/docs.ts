import { catalog, type ErrorCode } from '../errors/catalog.js';
import { ztmmModel } from '../model/ztmm-v2.js';
import type { RuleDefinition } from '../ruleset/rule.js';

const exitOf = { usage: 2, incomplete: 3, internal: 4, interrupted: 130 } as const;

/** docs/errors.md: every catalogue code with its title, exit code and hint. */
export function renderErrorsDoc(): string {
  const rows = (Object.keys(catalog) as ErrorCode[]).map((code) => {
    const entry = catalog[code];
    return `| \`${code}\` | ${entry.title} | ${exitOf[entry.exitClass]} | ${entry.hint.replace(/\|/g, '\\|')} |`;
  });
  return [
    '# zt error catalogue',
    '',
    '<!-- Generated from src/errors/catalog.ts by `npm run docs`; a test fails when this file is stale. -->',
    '',
    'Every failure zt reports names one of these codes, a title, where the problem is (file, line, field) and a hint.',
    'Stack traces appear only with `--debug`. Findings are never errors: they only affect the exit code through',
    '`--fail-on` and `--min-stage` (exit 1). A code that a collector records as an issue (the run carries on)',
    'sets the exit code once the outputs are written: an `internal` one (exit 4) always, whatever the gates.',
    '',
    'Mistakes in the command line itself (an unknown command or flag, a missing argument or value, a value that is',
    "not one of a flag's choices) are `ZT_USAGE` too. Where a value is close to an accepted one (a flag, command,",
    'format, severity, pillar, stage, kind, ZTMM row, rule id, kind field or waiver field), the message names it:',
    '`--fail-on "hig": not one of its values; did you mean "high"?`. Rule files and waiver files report every',
    'problem in one run, each with its file and line.',
    '',
    '| code | title | exit | hint |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** docs/rules.md: the bundled rules, grouped by pillar and ZTMM row. */
export function renderRulesDoc(rules: readonly RuleDefinition[]): string {
  const lines = [
    '# Bundled rules',
    '',
    '<!-- Generated from rules/ by `npm run docs`; a test fails when this file is stale. -->',
    '',
    `${rules.length} rules. \`zt rules show <id>\` prints one in full; "Writing rules" in the README explains the format.`,
    'Gates: the ZTMM stage(s) a rule gates, with the share of in-scope resources that must pass',
    '(`some` 25 %, `most` 75 %, `all` 100 %); supporting rules count towards progress but gate nothing.',
    '',
  ];
  for (const pillar of ztmmModel.pillars) {
    const inPillar = rules.filter((r) => r.pillar === pillar.id);
    if (inPillar.length === 0) continue;
    lines.push(`## ${pillar.name}`, '', '| id | title | severity | ZTMM row | gates | kind |', '|---|---|---|---|---|---|');
    for (const row of pillar.rows) {
      for (const r of inPillar.filter((x) => x.row === row.id)) {
        const gates = r.gates.map((g) => `${g.stage} (${g.quantifier})`).join(', ') + (r.supporting ? ', supporting' : '');
        lines.push(`| ${r.id} | ${r.title} | ${r.severity} | ${row.name} | ${gates} | \`${r.kind}\` |`);
      }
    }
    lines.push('');
  }
  lines.push(...EXPRESSIONS);
  return lines.join('\n');
}

/** How rule expressions are checked and run (docs/rules.md, after the rules). */
const EXPRESSIONS = [
  '## Expressions',
  '',
  '`when` and `assert` are [CEL](https://github.com/google/cel-spec); "Writing rules" in the README',
  'describes the bindings (`resource`, `meta`, `now`). What zt adds to CEL, or holds it to:',
  '',
  '### Types',
  '',
  'Rules are type-checked when they load, with `resource` typed as its kind: the kind\'s',
  'attributes and the facts analysis derives for it, as `zt rules kinds <kind>` lists them, with',
  'their types (strings, bools, ints, lists, maps and objects, down to list elements and map',
  'values); `meta` has the string fields `kind`, `id`, `name` and `source`; `now` is a timestamp (the',
  'as-of time of the resource\'s source, never the wall clock: "Time comes from the evidence" in the README).',
  'Refused at load (`ZT_RULE_CEL_TYPE`, exit 2, with file, line and a caret), where CEL would',
  'otherwise fail on every resource:',
  '',
  '- a `when` or `assert` that is not a bool (`assert: meta.name`, `assert: resource.replicas`);',
  '- a field the kind, an element or an object does not have: `resource.namespace` on a kind',
  '  without namespaces, `resource.factors.exists(f, f.namespace == "x")`, `resource["x"]`,',
  '  `meta.nmae`;',
  '- operands of the wrong type: `meta.name == 1`, `meta.name + 1`, `resource.replicas == "3"`,',
  '  `resource.privileged == "true"`, `resource.privileged.startsWith("t")`, `resource.replicas == 3.0`',
  '  (a whole number is an int: write `3`).',
  '',
  'Accepted as CEL allows at run time: comparing any value with `null` (`resource.email == null`',
  '— a nullable field has its value\'s type otherwise). A field whose values may be of several',
  'types (a port given as a number or a name, a number that need not be whole, unknown data) is',
  '`dyn`: anything type-checks, and a wrong type is an `error` for the resource that has it.',
  '',
  '### Regular expressions: RE2',
  '',
  '`text.matches(pattern)` is true when the pattern matches anywhere in the text (anchor it with',
  '`^…$` to match the whole text). Patterns are [RE2 syntax](https://github.com/google/re2/wiki/Syntax),',
  'as CEL specifies, and run by an RE2 engine (re2js) in time linear in the text, whatever the pattern:',
  'a pattern such as `^(a+)+$`, which makes a backtracking engine run for hours, is answered at once,',
  'also when it is read from resource data.',
  '',
  '- A literal pattern that is not RE2 is a load error (`ZT_RULE_REGEX`, exit 2, with file, line',
  '  and a caret under the pattern), reported with every other rule problem.',
  '- A pattern computed at run time (e.g. read from the resource) that is not RE2 makes that',
  '  resource\'s result an `error` (code `invalid_regular_expression`), never a pass.',
  '- Not in RE2, so refused: backreferences (`\\1`), lookahead and lookbehind (`(?=…)`, `(?!…)`,',
  '  `(?<=…)`, `(?<!…)`), possessive repeats (`a++`), atomic groups (`(?>…)`), `\\Z`, `\\u0041` (write',
  '  `\\x{41}`), repeat counts over 1000.',
  '- Where RE2 differs from JavaScript: `.` is one Unicode code point and matches `\\r` (only `\\n`',
  '  is excluded; `(?s)` includes it); `\\s` is ASCII whitespace only (no `\\u00a0`); `\\pL`,',
  '  `[[:alpha:]]`, `\\z`, `\\Q…\\E` and the flags `(?i)`, `(?s)`, `(?m)` (`^` and `$` at line ends), `(?U)`',
  '  are available; named groups are `(?P<name>…)` or `(?<name>…)`.',
  '',
  '### Which elements a finding names',
  '',
  'A rule that reads a list field only through `resource.<field>.all(x, …)` (every container',
  'rule: `resource.allContainers.all(c, …)`) has its failing findings name the elements they fail',
  'on (`findings[].elements`, the message\'s `(container "web")`, SARIF regions at their lines), and',
  'one level down the same for `x.<sub>.all(y, …)` (a container\'s `env`). zt finds them by running',
  'the rule with the list cut to each element alone, so they are the rule\'s own verdict. An',
  'invalid case of a cases file (`zt rules test`) can assert them with `elements:` — container names',
  'in the resource\'s order, `{ name, elements: [VAR, …] }` for a container and the env vars it fails',
  'on, `[]` for a finding that names none:',
  '',
  '```yaml',
  'invalid:',
  '  - name: the sidecar is privileged, the app is not',
  '    resource: { name: web, attributes: { … } }',
  '    message: "/privileged/"',
  '    elements: [proxy]',
  '  - name: a token in a literal env var of the app',
  '    resource: { name: web, attributes: { … } }',
  '    message: "/literal/"',
  '    elements: [{ name: app, elements: [API_TOKEN] }]',
  '```',
  '',
];

/** docs/ztmm.md: the model as zt holds it (our paraphrase of CISA ZTMM v2.0). */
export function renderZtmmDoc(rules: readonly RuleDefinition[]): string {
  const lines = [
    '# The CISA ZTMM v2.0 model in zt',
    '',
    '<!-- Generated from src/model/ztmm-v2.ts by `npm run docs`; a test fails when this file is stale. -->',
    '',
    `Pillar and function names are CISA's; the stage descriptions are our own paraphrase. The authoritative text is CISA's PDF: ${ztmmModel.url}.`,
    'zt reports a **ZTMM-aligned estimate** from evidence it can read; it never says "compliant".',
    `Minimum evidence ([scoring.md](scoring.md) §3): a pillar claims a stage above Traditional only when at least ${ztmmModel.minimumEvidence * 100} % of its rows are assessed, and the overall only when that share of the pillars has a stage; below it the stage reads "insufficient evidence".`,
    '',
  ];
  for (const pillar of ztmmModel.pillars) {
    const required = Math.ceil(ztmmModel.minimumEvidence * pillar.rows.length - 1e-9);
    const withRules = pillar.rows.filter((row) => rules.some((r) => r.row === row.id)).length;
    lines.push(`## ${pillar.name} (\`${pillar.id}\`)`, '', pillar.summary, '');
    lines.push(
      `Bundled rules evidence ${withRules} of its ${pillar.rows.length} rows; a stage above Traditional needs ${required} assessed.`,
      '',
    );
    lines.push('| row | Initial | Advanced | Optimal | zt rules |', '|---|---|---|---|---|');
    for (const row of pillar.rows) {
      const ids = rules.filter((r) => r.row === row.id).map((r) => r.id).join(', ') || '— (not assessed)';
      lines.push(`| **${row.name}** \`${row.id}\` | ${row.stages.initial} | ${row.stages.advanced} | ${row.stages.optimal} | ${ids} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
