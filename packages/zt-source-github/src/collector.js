// One organisation's collection: the reader (live client or export), the walk, the mapping.
import { createClient } from './client.js';
import { mapOrganization } from './map.js';
import { readOrganization } from './read.js';

export async function collectGithub(input, context, errors) {
  let reader = input.reader;
  if (input.live) {
    // The token is what zt must never print: registered before the first request.
    context.redactor.add(input.live.token);
    // zt's fetch honours the run's proxy and --ca-file (plugin API 1: context.fetch).
    const client = createClient({ baseUrl: input.live.apiUrl, token: input.live.token, signal: context.signal, progress: context.progress, errors, ...(context.fetch ? { fetch: context.fetch } : {}) });
    reader = {
      get: (_name, path, how) => client.get(path, how),
      list: (_name, path, options) => client.list(path, options),
      graphql: (_name, query, variables) => client.graphql(query, variables),
    };
  }
  const read = await readOrganization(reader, input.org, context.progress, errors);
  const { resources, coverage, issues } = mapOrganization(read);
  return {
    source: { collector: 'github', source: `github:${input.org}`, mode: input.live ? 'live' : 'offline', ...(input.exportedAt ? { asOf: input.exportedAt } : {}) },
    resources,
    coverage,
    issues,
  };
}
