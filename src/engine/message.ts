const placeholder = /\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g;

export function placeholderNames(template: string): string[] {
  return [...template.matchAll(placeholder)].map((m) => m[1] as string);
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Fills {{name}}-style placeholders. `values` is a lookup (or a plain record), so a
 * caller can resolve names without building a merged object per message.
 */
export function renderMessage(template: string, values: Readonly<Record<string, unknown>> | ((name: string) => unknown)): string {
  if (!template.includes('{{')) return template;
  const lookup = typeof values === 'function' ? values : (name: string) => values[name];
  return template.replace(placeholder, (_, name: string) => display(lookup(name)));
}
