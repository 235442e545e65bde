import type { RoleProps } from './cfn-template.ts';
import type { RoleState } from './model.ts';

// Drift detection for the role a stack manages: the properties the template last rendered against
// the role as IAM holds it now, in CloudFormation's shapes (ExpectedProperties, ActualProperties,
// PropertyDifferences with a JSON-pointer PropertyPath and ADD / REMOVE / NOT_EQUAL).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_PropertyDifference.html

export interface PropertyDifference {
  PropertyPath: string;
  ExpectedValue: string;
  ActualValue: string;
  DifferenceType: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** AWS::IAM::Role properties as drift detection reads them, from the template or from IAM. */
export function roleProperties(role: RoleProps | RoleState): Record<string, Json> {
  const name = 'roleName' in role ? role.roleName : role.name;
  const policies = [...role.inlinePolicies]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => ({ PolicyDocument: p.document as Json, PolicyName: p.name }));
  return {
    AssumeRolePolicyDocument: role.trustPolicy as Json,
    ...(role.description !== undefined ? { Description: role.description } : {}),
    ManagedPolicyArns: [...role.managedPolicyArns],
    MaxSessionDuration: role.maxSessionDuration,
    Path: role.path,
    Policies: policies,
    RoleName: name,
  };
}

const show = (v: Json | undefined): string =>
  v === undefined ? 'null' : typeof v === 'string' ? v : JSON.stringify(v);
const isPlain = (v: Json | undefined) => v === null || typeof v !== 'object';

function diff(expected: Json | undefined, actual: Json | undefined, path: string, out: PropertyDifference[]) {
  if (expected === undefined && actual === undefined) return;
  if (expected === undefined || actual === undefined) {
    const type = expected === undefined ? 'ADD' : 'REMOVE';
    out.push({
      PropertyPath: path,
      ExpectedValue: show(expected),
      ActualValue: show(actual),
      DifferenceType: type,
    });
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    // A list of plain values (ManagedPolicyArns) is a set: order is not drift.
    if (expected.every(isPlain) && actual.every(isPlain)) {
      const a = actual.map(show);
      const e = expected.map(show);
      expected.forEach((v, i) => {
        if (!a.includes(show(v)))
          out.push({
            PropertyPath: `${path}/${i}`,
            ExpectedValue: show(v),
            ActualValue: 'null',
            DifferenceType: 'REMOVE',
          });
      });
      actual.forEach((v, i) => {
        if (!e.includes(show(v)))
          out.push({
            PropertyPath: `${path}/${i}`,
            ExpectedValue: 'null',
            ActualValue: show(v),
            DifferenceType: 'ADD',
          });
      });
      return;
    }
    for (let i = 0; i < Math.max(expected.length, actual.length); i++)
      diff(expected[i], actual[i], `${path}/${i}`, out);
    return;
  }
  if (!isPlain(expected) && !isPlain(actual) && !Array.isArray(expected) && !Array.isArray(actual)) {
    const e = expected as Record<string, Json>;
    const a = actual as Record<string, Json>;
    for (const key of new Set([...Object.keys(e), ...Object.keys(a)]))
      diff(e[key], a[key], `${path}/${key}`, out);
    return;
  }
  if (show(expected) !== show(actual))
    out.push({
      PropertyPath: path,
      ExpectedValue: show(expected),
      ActualValue: show(actual),
      DifferenceType: 'NOT_EQUAL',
    });
}

export function propertyDifferences(
  expected: Record<string, Json>,
  actual: Record<string, Json>,
): PropertyDifference[] {
  const out: PropertyDifference[] = [];
  diff(expected, actual, '', out);
  return out;
}
