// npm run bench: every benchmark in turn, each in its own process (so one's memory does
// not colour another's). Measurements only; nothing here is a test. Pass names to run a
// subset, e.g. `npm run bench -- audit k8s-network`.
import { spawnSync } from 'node:child_process';

const benches = {
  audit: 'bench/run.js', // zt --version/--help start-up; zt audit on 10k/100k/200k resources
  'k8s-network': 'bench/k8s-network.js', // NetworkPolicy reachability at 2.5k–20k pods
  'k8s-network-query': 'bench/k8s-network-query.js', // zt network: who-can-reach, matrix, diff at 2.5k–20k pods
  'k8s-collect': 'bench/k8s-collect.js', // live Kubernetes collection, 20k objects, +50 ms per response
  'k8s-clusters': 'bench/k8s-clusters.js', // zt collect --all-contexts over 10 clusters × 2,000 pods vs one cluster
  'aws-iam': 'bench/aws-iam.js', // IAM analysis at 1k–10k roles
  'aws-accounts': 'bench/aws-accounts.js', // merged audit of 50 accounts × 1,000 roles against one account
  'aws-org-collect': 'bench/aws-org-collect.js', // zt collect --org over 50 accounts × 1,000 roles through fake Organizations/IAM vs one account
  'okta-collect': 'bench/okta-collect.js', // Okta, 10k users under per-endpoint rate limits
  'entra-collect': 'bench/entra-collect.js', // Entra, up to 50k users paged
  'access-review': 'bench/access-review.js', // review of 50k principals, 500k grants
  'access-campaign': 'bench/access-campaign-process.js', // record 500 files / status / evidence at 500k rows, whole processes
  'html-render': 'bench/html-render.js', // access-review HTML for 10k principals in headless Chromium
  'github-collect': 'bench/github-collect.js', // the GitHub plugin source: 2,000 repos, 5,000 members at 5,000 requests/hour (virtual clock)
  exe: 'bench/exe.js', // the self-contained executable against node bin/zt.js (needs npm run build:exe)
};

const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(benches);
let failed = 0;
for (const name of chosen) {
  const file = benches[name];
  if (!file) {
    console.error(`unknown bench ${name}; known: ${Object.keys(benches).join(', ')}`);
    process.exitCode = 2;
    continue;
  }
  console.log(`\n######## ${name} (${file})`);
  const result = spawnSync(process.execPath, ['--max-old-space-size=4096', file], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`\n${failed} benchmark(s) did not complete`);
  process.exitCode = 1;
}
