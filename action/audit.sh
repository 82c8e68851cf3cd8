#!/usr/bin/env bash
# The GitHub Action's audit step (action.yml). Runs zt, writes SARIF, JSON, and the
# Markdown summary to $GITHUB_STEP_SUMMARY, and records the exit code as a step output
# instead of failing here, so the SARIF upload still happens; a later step applies it.
# Inputs come as environment variables (never interpolated into the script).
set -uo pipefail

# The zt the install step put in place (the published package, no devDependencies); from
# the action's own folder only when run outside the Action (the project's tests).
if [ -n "${ZT_BIN:-}" ]; then zt=("$ZT_BIN"); else zt=(node "${GITHUB_ACTION_PATH:?}/bin/zt.js"); fi

# `args` is a list of words, split as a shell would split them but never expanded: quotes
# keep spaces ("--context 'prod eu'"), lines separate words too, and nothing is evaluated.
extra=()
if [ -n "${ZT_ARGS:-}" ]; then
  words="$(mktemp)"
  if ! printf '%s\n' "$ZT_ARGS" | xargs printf '%s\0' > "$words" 2>/dev/null; then
    echo "::error::zt: the args input has an unmatched quote: $ZT_ARGS" >&2
    { echo "exit-code=2"; echo "overall-stage="; } >> "${GITHUB_OUTPUT:-/dev/null}"
    exit 0
  fi
  while IFS= read -r -d '' word; do extra+=("$word"); done < "$words"
  rm -f "$words"
fi
args=(audit ${extra[@]+"${extra[@]}"} --fail-on "${ZT_ACTION_FAIL_ON:-high}"
  -o "sarif=${ZT_SARIF_FILE:-zt.sarif}" -o "json=${ZT_REPORT_FILE:-zt-report.json}"
  -o "markdown=${GITHUB_STEP_SUMMARY:-/dev/null}")
if [ -n "${ZT_ACTION_BASELINE:-}" ] && [ -f "$ZT_ACTION_BASELINE" ]; then args+=(--baseline "$ZT_ACTION_BASELINE"); fi
if [ -n "${ZT_ACTION_WAIVERS:-}" ] && [ -f "$ZT_ACTION_WAIVERS" ]; then args+=(--waivers "$ZT_ACTION_WAIVERS"); fi

"${zt[@]}" "${args[@]}"
code=$?
stage=""
if [ -f "${ZT_REPORT_FILE:-zt-report.json}" ]; then
  stage=$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.stdout.write(r.score.overall.stage)' "${ZT_REPORT_FILE:-zt-report.json}" 2>/dev/null || true)
fi
{
  echo "exit-code=$code"
  echo "overall-stage=$stage"
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit 0
