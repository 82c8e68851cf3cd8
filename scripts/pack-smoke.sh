#!/usr/bin/env bash
# Installs zt as a user would and runs it outside the clone: packs the package, installs the
# tarball into a throwaway global prefix (dependencies from the registry, no devDependencies),
# then runs `zt --version`, `zt audit --demo` and `zt rules test` from an empty folder. Run by
# CI (`npm run test:pack`); needs the npm registry. Node: the one npm scripts put first on PATH
# (the `node` devDependency, 22.x), i.e. a supported Node, as a user's would be.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/prefix" "$work/elsewhere"

echo "== pack"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "$tarball ($(du -h "$work/$tarball" | cut -f1))"

echo "== pack the GitHub source plugin (npm workspace packages/zt-source-github)"
plugin_tarball="$(npm pack --silent --workspace zt-source-github --pack-destination "$work" | tail -n 1)"
echo "$plugin_tarball"
github_export="$PWD/packages/zt-source-github/test/fixtures/export-acme"

echo "== install the tarballs into a throwaway prefix ($(node --version))"
npm install --global --prefix "$work/prefix" --no-audit --no-fund --omit=dev "$work/$tarball" "$work/$plugin_tarball" >/dev/null

zt="$work/prefix/bin/zt"
cd "$work/elsewhere"
echo "== zt --version"
"$zt" --version
echo "== zt audit --demo -f json"
"$zt" audit --demo --fail-on none -f json > demo.json
node -e 'const r = require("./demo.json"); if (!r.score || !Array.isArray(r.findings) || r.findings.length === 0) { console.error("the demo report has no findings"); process.exit(1); } console.log(`${r.findings.length} findings, overall ${r.score.overall.stage}`);'
echo "== zt rules test"
"$zt" rules test | tail -n 1
echo "== zt plugins list --plugin zt-source-github (found beside zt in the global root)"
"$zt" plugins list --plugin zt-source-github
echo "== zt audit --plugin zt-source-github --github-export (offline)"
"$zt" audit --plugin zt-source-github --github-export "$github_export" --fail-on none -f json > github.json
node -e 'const r = require("./github.json"); const n = r.findings.filter((f) => f.ruleId.startsWith("GH-") && f.status === "fail").length; if (n === 0) { console.error("the GitHub audit has no GH- findings"); process.exit(1); } console.log(`${n} GitHub findings`);'
echo "pack smoke test passed"
