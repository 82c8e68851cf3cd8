/**
 * A scalar as text; '' for anything else (absent, null, an object or a list). Input
 * read from files or servers is untrusted: String() would turn an object into
 * "[object Object]" and let it pass for a name.
 */
export function scalarText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return '';
  }
}
