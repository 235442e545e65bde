// Resolves the few CloudFormation intrinsic functions the role template uses (Ref, Fn::Sub), so
// code can read the template's own policies with concrete values instead of keeping second copies.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html

export type Substitutions = Record<string, string>;

function lookup(name: string, values: Substitutions): string {
  const value = values[name];
  if (value === undefined) throw new Error(`The template refers to ${name}, which has no value here.`);
  return value;
}

function sub(text: string, values: Substitutions): string {
  // ${!Literal} is CloudFormation's escape for a literal "${Literal}".
  return text.replace(/\$\{(!?)([^}]+)\}/g, (_, bang: string, name: string) =>
    bang ? `\${${name}}` : lookup(name.trim(), values),
  );
}

export function resolveIntrinsics(node: unknown, values: Substitutions): unknown {
  if (Array.isArray(node)) return node.map((n) => resolveIntrinsics(n, values));
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node);
  if (entries.length === 1) {
    const [fn, arg] = entries[0] as [string, unknown];
    if (fn === 'Ref' && typeof arg === 'string') return lookup(arg, values);
    if (fn === 'Fn::Sub' && typeof arg === 'string') return sub(arg, values);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, values)]));
}
