import { describe, expect, it } from 'vitest';
import { canonicalJson, detectDrift, type ObservedRole } from './drift.ts';
import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  managedPolicyArns,
  TEMPLATE_VERSION,
  TEMPLATE_VERSION_TAG,
  trustPolicyFor,
} from './template/role-template.ts';

const DECLARED = {
  partition: 'aws',
  region: 'eu-west-1',
  externalId: 'drift-table-external-id',
  trustedAccountId: '111111111111',
  iamPrincipal: 'role/prowler*',
};

/** The role exactly as the current template deploys it. */
const TEMPLATE_ROLE: ObservedRole = {
  roleName: 'ProwlerScan',
  trustPolicy: trustPolicyFor(DECLARED),
  managedPolicyArns: managedPolicyArns('aws'),
  inlinePolicies: [{ name: ADDITIONS_POLICY_NAME, document: additionsPolicyDocument }],
  maxSessionDuration: 3600,
  tags: [{ Key: TEMPLATE_VERSION_TAG, Value: TEMPLATE_VERSION }],
};

const CASES: [string, Partial<ObservedRole>, string[]][] = [
  ['the template itself', {}, []],
  [
    'SecurityAudit detached',
    { managedPolicyArns: [managedPolicyArns('aws')[1] as string] },
    ['managed-policy-missing'],
  ],
  [
    'AdministratorAccess attached',
    { managedPolicyArns: [...managedPolicyArns('aws'), 'arn:aws:iam::aws:policy/AdministratorAccess'] },
    ['managed-policy-extra'],
  ],
  ['additions deleted', { inlinePolicies: [] }, ['inline-policy-missing']],
  [
    'additions edited',
    { inlinePolicies: [{ name: ADDITIONS_POLICY_NAME, document: { Version: '2012-10-17', Statement: [] } }] },
    ['inline-policy-changed'],
  ],
  [
    'an inline policy added',
    {
      inlinePolicies: [
        { name: ADDITIONS_POLICY_NAME, document: additionsPolicyDocument },
        { name: 'Extra', document: {} },
      ],
    },
    ['inline-policy-extra'],
  ],
  ['12 h sessions', { maxSessionDuration: 43200 }, ['max-session-duration']],
  ['no version tag (template 1)', { tags: [] }, ['template-version']],
  ['a version from the future', { tags: [{ Key: TEMPLATE_VERSION_TAG, Value: '99' }] }, ['template-version']],
  [
    'trust policy for another principal',
    { trustPolicy: trustPolicyFor({ ...DECLARED, iamPrincipal: 'role/*' }) },
    ['trust-policy'],
  ],
  [
    'everything at once',
    { managedPolicyArns: [], inlinePolicies: [], maxSessionDuration: 7200, tags: [] },
    [
      'managed-policy-missing',
      'managed-policy-missing',
      'inline-policy-missing',
      'max-session-duration',
      'template-version',
    ],
  ],
];

describe('detectDrift', () => {
  it.each(CASES)('%s', (_name, change, kinds) => {
    const report = detectDrift(DECLARED, { ...TEMPLATE_ROLE, ...change }, '2026-01-01T00:00:00.000Z');
    expect(report.findings.map((f) => f.kind)).toEqual(kinds);
    expect(report.notChecked).toEqual([]);
    expect(report.provenance).toBe('observed');
  });

  it('IAM answering a one-element array or reordered keys is no drift', () => {
    const policy = trustPolicyFor(DECLARED) as { Statement: unknown[] };
    const reordered = JSON.parse(JSON.stringify({ Statement: policy.Statement, Version: '2012-10-17' }));
    expect(canonicalJson(reordered)).toBe(canonicalJson({ ...policy, Statement: policy.Statement[0] }));
    expect(detectDrift(DECLARED, { ...TEMPLATE_ROLE, trustPolicy: reordered }, 'now').findings).toEqual([]);
  });

  it('says what it could not compare instead of guessing', () => {
    const report = detectDrift(
      { partition: 'aws', region: 'us-east-1', externalId: 'x1' },
      {
        roleName: 'R',
        trustPolicy: null,
        managedPolicyArns: null,
        inlinePolicies: null,
        maxSessionDuration: null,
        tags: null,
      },
      'now',
    );
    expect(report.findings).toEqual([]);
    expect(report.notChecked).toHaveLength(5);
    expect(report.notChecked[0]).toContain('were not declared');
    expect(report.templateVersion).toEqual({ current: TEMPLATE_VERSION, deployed: null });
  });

  it('names the update that brings an outdated template current', () => {
    const [f] = detectDrift(DECLARED, { ...TEMPLATE_ROLE, tags: [] }, 'now').findings;
    expect(f?.summary).toBe(
      `The role was deployed from template version 1; the current template is version ${TEMPLATE_VERSION} (version 2 tags the role with ${TEMPLATE_VERSION_TAG}, so drift checks name the template a role came from).`,
    );
    expect(f?.fix).toContain(
      'aws-connect template > prowler-scan-role.yaml && aws cloudformation update-stack',
    );
    expect(f?.fix).toContain('--region eu-west-1');
  });
});
