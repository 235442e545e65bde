// A small YAML emitter for JSON-shaped data (objects, arrays, strings, numbers, booleans, null),
// so the browser bundle does not carry a YAML library just to print one template. Block style,
// two-space indent; strings are plain only when YAML 1.1 and 1.2 readers cannot take them for
// anything else, and quoted otherwise. Tests parse the output back with the `yaml` package.

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

// No digits either: YAML 1.1 readers take forms like E0 or 1_0 for numbers.
const PLAIN_SAFE = /^[A-Za-z_/][A-Za-z_ ./,()@+-]*$/;
// Words YAML 1.1 readers (still common, e.g. PyYAML in cfn-lint) turn into booleans or null.
const RESERVED = /^(y|yes|n|no|true|false|on|off|null|~)$/i;

export function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} as YAML.`);
    return String(value);
  }
  if (PLAIN_SAFE.test(value) && !value.endsWith(' ') && !RESERVED.test(value)) return value;
  // Single quotes need no escapes except '' for '; control characters and line breaks need double quotes.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: detecting them is the point
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(value)) return JSON.stringify(value);
  return `'${value.replaceAll("'", "''")}'`;
}

function isEmptyCollection(value: Json): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (Array.isArray(value) ? value : Object.keys(value)).length === 0
  );
}

function emptyOf(value: Json): string {
  return Array.isArray(value) ? '[]' : '{}';
}

function block(value: Json, indent: string, lines: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) item1(item, indent, lines);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const k = yamlScalar(key);
      if (typeof child !== 'object' || child === null) lines.push(`${indent}${k}: ${yamlScalar(child)}`);
      else if (isEmptyCollection(child)) lines.push(`${indent}${k}: ${emptyOf(child)}`);
      else if (Array.isArray(child)) {
        lines.push(`${indent}${k}:`);
        block(child, `${indent}  `, lines);
      } else {
        lines.push(`${indent}${k}:`);
        block(child, `${indent}  `, lines);
      }
    }
    return;
  }
  lines.push(`${indent}${yamlScalar(value)}`);
}

/** One sequence item: "- " then the item, whose first line shares the dash's line. */
function item1(item: Json, indent: string, lines: string[]): void {
  if (typeof item !== 'object' || item === null || isEmptyCollection(item)) {
    lines.push(`${indent}- ${typeof item === 'object' && item !== null ? emptyOf(item) : yamlScalar(item)}`);
    return;
  }
  const inner: string[] = [];
  block(item, `${indent}  `, inner);
  const [first = '', ...rest] = inner;
  lines.push(`${indent}- ${first.slice(indent.length + 2)}`, ...rest);
}

export function toYaml(value: unknown): string {
  const json = JSON.parse(JSON.stringify(value)) as Json;
  if (typeof json !== 'object' || json === null || isEmptyCollection(json)) {
    return `${typeof json === 'object' && json !== null ? emptyOf(json) : yamlScalar(json)}\n`;
  }
  const lines: string[] = [];
  block(json, '', lines);
  return `${lines.join('\n')}\n`;
}
