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

/** A template split once into [literal, name, literal, name, …, literal]; templates are few, renders many. */
const splitTemplates = new Map<string, readonly string[]>();

function templateParts(template: string): readonly string[] {
  let parts = splitTemplates.get(template);
  if (!parts) splitTemplates.set(template, (parts = template.split(placeholder)));
  return parts;
}

/**
 * Fills {{name}}-style placeholders. `values` is a lookup (or a plain record), so a
 * caller can resolve names without building a merged object per message.
 */
export function renderMessage(template: string, values: Readonly<Record<string, unknown>> | ((name: string) => unknown)): string {
  if (!template.includes('{{')) return template;
  const lookup = typeof values === 'function' ? values : (name: string) => values[name];
  const parts = templateParts(template);
  // Joined, not concatenated: join makes one flat string, where += makes a tree of cons
  // strings that lives as long as the finding and is flattened again by every JSON.stringify.
  const pieces = parts.slice();
  for (let i = 1; i < pieces.length; i += 2) pieces[i] = display(lookup(parts[i] as string));
  return pieces.join('');
}
