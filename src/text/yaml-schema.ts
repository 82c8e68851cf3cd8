import yaml from 'js-yaml';

// @types/js-yaml does not declare the built-in `types` table that js-yaml exports.
const builtinTypes = (yaml as unknown as { types: { merge: yaml.Type } }).types;

/**
 * YAML as zt reads it: the core schema (so dates stay strings, as in snapshots) plus
 * merge keys (`<<: *base`), which cases files use to vary one field of a resource.
 */
export const ztYamlSchema = yaml.CORE_SCHEMA.extend({ implicit: [builtinTypes.merge] });
