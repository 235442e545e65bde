// A short, safe rendering of any value found in a pasted policy, for error messages. It never
// recurses deeply (JSON.stringify overflows on 100 000-deep arrays), never calls a value's own
// toString (a document may carry {"toString": 0}), and truncates long text.

const MAX = 80;

function clip(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX)}…` : text;
}

function shallow(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(clip(value));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value))
    return value.length === 0 ? '[]' : `[… ${value.length} item${value.length === 1 ? '' : 's'}]`;
  if (typeof value === 'object') return '{…}';
  return typeof value;
}

export function describeValue(value: unknown): string {
  if (Array.isArray(value))
    return clip(`[${value.slice(0, 5).map(shallow).join(', ')}${value.length > 5 ? ', …' : ''}]`);
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    const shown = keys
      .slice(0, 5)
      .map((k) => `${JSON.stringify(clip(k))}: ${shallow((value as Record<string, unknown>)[k])}`);
    return clip(`{${shown.join(', ')}${keys.length > 5 ? ', …' : ''}}`);
  }
  return shallow(value);
}
