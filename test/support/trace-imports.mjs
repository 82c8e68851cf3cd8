// Loaded with `node --import` in e2e tests: records every module URL the process
// resolves into $ZT_TRACE_FILE, so tests can prove `zt --help` loads nothing heavy.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.ZT_TRACE_FILE;
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    if (file) appendFileSync(file, `${result.url}\n`);
    return result;
  },
});
