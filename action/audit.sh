#!/usr/bin/env bash
# The GitHub Action's audit step (action.yml). Runs zt, writes SARIF, JSON, and the
# Markdown summary to $GITHUB_STEP_SUMMARY, and records the exit code as a step output
# instead of failing here, so the SARIF upload still happens; a later step applies it.
# Inputs come as environment variables (never interpolated into the script).
set -uo pipefail

zt=(node "${GITHUB_ACTION_PATH:?}/bin/zt.js")
read -r -a extra <<< "${ZT_ARGS:-}"
args=(audit "${extra[@]}" --fail-on "${ZT_FAIL_ON:-high}"
  -o "sarif=${ZT_SARIF_FILE:-zt.sarif}" -o "json=${ZT_REPORT_FILE:-zt-report.json}"
  -o "markdown=${GITHUB_STEP_SUMMARY:-/dev/null}")
if [ -n "${ZT_BASELINE:-}" ] && [ -f "$ZT_BASELINE" ]; then args+=(--baseline "$ZT_BASELINE"); fi
if [ -n "${ZT_WAIVERS:-}" ] && [ -f "$ZT_WAIVERS" ]; then args+=(--waivers "$ZT_WAIVERS"); fi

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
