// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables such as ${aws:username}, not JavaScript templates
import { describe, expect, it } from 'vitest';
import { trustPolicyFor } from '../template/role-template.ts';
import { evaluate, parsePolicyText } from './evaluate.ts';
import { type Evaluation, evaluationSchema, type TrustRequest } from './explanation.ts';
import { MAX_POLICY_CHARS, MAX_POLICY_TEXT_CHARS, MAX_REQUEST_VALUE_CHARS } from './limits.ts';

// The case table for the trust-policy evaluator (issue 3): IAM semantics from
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
// .../reference_policies_elements_principal.html and .../reference_policies_elements_condition_operators.html.

const SCANNER = '111122223333';
const OTHER = '444455556666';
const EXT = 'ext-7f3a9c2e1b';

/** The template's own trust policy for these settings (the same text the stack deploys). */
const tpl = (iamPrincipal: string, o: { partition?: string; account?: string; externalId?: string } = {}) =>
  trustPolicyFor({
    partition: o.partition ?? 'aws',
    trustedAccountId: o.account ?? SCANNER,
    iamPrincipal,
    externalId: o.externalId ?? EXT,
  });

const stmt = (s: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [s] });
const allowAccount = (extra: Record<string, unknown> = {}) =>
  stmt({ Effect: 'Allow', Principal: { AWS: SCANNER }, Action: 'sts:AssumeRole', ...extra });
const withExt = (
  principalArn: string,
  externalId: string | null = EXT,
  more: TrustRequest['context'] = {},
): TrustRequest => ({
  principalArn,
  context: { ...(externalId === null ? {} : { 'sts:ExternalId': externalId }), ...more },
});
const user = (name: string, account = SCANNER, partition = 'aws') =>
  `arn:${partition}:iam::${account}:user/${name}`;
const role = (name: string, account = SCANNER, partition = 'aws') =>
  `arn:${partition}:iam::${account}:role/${name}`;
const session = (name: string, account = SCANNER, partition = 'aws') =>
  `arn:${partition}:sts::${account}:assumed-role/${name}/scan-session`;

interface Case {
  name: string;
  policy: unknown;
  request: TrustRequest;
  decision: 'allow' | 'deny';
  reason?: Evaluation['reason'];
  check?: (e: Evaluation) => void;
}

const cond = (e: Evaluation, key: string, s = 0) =>
  e.statements[s]?.conditions.find((c) => c.key.toLowerCase() === key.toLowerCase());

// IAM documentation pages the newer cases below are held to.
const DOC = {
  identifiers:
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-prefixes',
  principal: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
  variables: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
  multivalued:
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html',
  grammar: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
  action: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html',
};

/** A role's unique ID as IAM shows it once the role was deleted (the example format of the identifiers page). */
const DELETED_ROLE_ID = 'AROADBQP57FF2AEXAMPLE';
const DELETED_USER_ID = 'AIDAJQABLZS4A3QDU576Q';
/** The 2012-10-17 language, in which ${…} are policy variables. */
const v2012 = (s: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [s] });
const allow2012 = (condition: Record<string, unknown>) =>
  v2012({ Effect: 'Allow', Principal: { AWS: SCANNER }, Action: 'sts:AssumeRole', Condition: condition });
const noErrors = (e: Evaluation) => expect(e.policyErrors).toEqual([]);

const CASES: Case[] = [
  // The template's trust policy under each IAMPrincipal from the mapping table (docs/design.md#the-journey, step 3).
  {
    name: 'template role/prowler*: assumed-role prowler-scanner',
    policy: tpl('role/prowler*'),
    request: withExt(session('prowler-scanner')),
    decision: 'allow',
  },
  {
    name: 'template role/prowler*: IAM role ARN prowler',
    policy: tpl('role/prowler*'),
    request: withExt(role('prowler')),
    decision: 'allow',
  },
  {
    name: 'template role/prowler*: StringLike is case-sensitive (Prowler-scanner)',
    policy: tpl('role/prowler*'),
    request: withExt(session('Prowler-scanner')),
    decision: 'deny',
    check: (e) => expect(cond(e, 'aws:PrincipalArn')?.note).toMatch(/case/),
  },
  {
    name: 'template role/prowler*: IAM user prowler-app is not a role',
    policy: tpl('role/prowler*'),
    request: withExt(user('prowler-app')),
    decision: 'deny',
  },
  {
    name: 'template role/prowler*: a role with a path does not match role/prowler*',
    policy: tpl('role/prowler*'),
    request: withExt(role('team/prowler-x')),
    decision: 'deny',
  },
  {
    name: 'template user/prowler-app: that user',
    policy: tpl('user/prowler-app'),
    request: withExt(user('prowler-app')),
    decision: 'allow',
  },
  {
    name: 'template user/prowler-app: a longer name is another user',
    policy: tpl('user/prowler-app'),
    request: withExt(user('prowler-app2')),
    decision: 'deny',
  },
  {
    name: 'template user/prowler-app: same name under a path',
    policy: tpl('user/prowler-app'),
    request: withExt(user('ops/prowler-app')),
    decision: 'deny',
  },
  {
    name: 'template user/*prowler-app: * matches the path and its slashes',
    policy: tpl('user/*prowler-app'),
    request: withExt(user('ops/ci/prowler-app')),
    decision: 'allow',
  },
  {
    name: 'template role/<name> for a role not starting with prowler',
    policy: tpl('role/security-scanner'),
    request: withExt(session('security-scanner')),
    decision: 'allow',
  },
  {
    name: 'template role/team/scanner vs assumed-role scanner: path unknown',
    policy: tpl('role/team/scanner'),
    request: withExt(session('scanner')),
    decision: 'deny',
    check: (e) => expect(cond(e, 'aws:PrincipalArn')?.note).toMatch(/role path unknown/),
  },
  {
    name: 'template role/team/scanner vs the role ARN with its path',
    policy: tpl('role/team/scanner'),
    request: withExt(role('team/scanner')),
    decision: 'allow',
  },
  {
    name: 'template role/team/*: any role under the path',
    policy: tpl('role/team/*'),
    request: withExt(role('team/sub/x')),
    decision: 'allow',
  },
  {
    name: 'template role/prowler-???: ? is exactly one character',
    policy: tpl('role/prowler-???'),
    request: withExt(session('prowler-abc')),
    decision: 'allow',
  },
  {
    name: 'template role/prowler-???: four characters are too many',
    policy: tpl('role/prowler-???'),
    request: withExt(session('prowler-abcd')),
    decision: 'deny',
  },
  {
    name: 'template *: any principal of the trusted account',
    policy: tpl('*'),
    request: withExt(user('anyone')),
    decision: 'allow',
  },
  {
    name: 'template *: the account root user',
    policy: tpl('*'),
    request: withExt(`arn:aws:iam::${SCANNER}:root`),
    decision: 'allow',
  },
  {
    name: 'template *: a principal of another account',
    policy: tpl('*'),
    request: withExt(user('anyone', OTHER)),
    decision: 'deny',
    check: (e) => {
      expect(e.statements[0]?.principal.matched).toBe(false);
      expect(e.statements[0]?.principal.note).toMatch(new RegExp(`${OTHER}.*${SCANNER}`));
    },
  },
  {
    name: 'template: wrong External ID',
    policy: tpl('role/prowler*'),
    request: withExt(session('prowler-scanner'), 'ext-other'),
    decision: 'deny',
    check: (e) => {
      const c = cond(e, 'sts:ExternalId');
      expect(c).toMatchObject({ matched: false, policyValues: [EXT], requestValue: 'ext-other' });
    },
  },
  {
    name: 'template: External ID missing from the request',
    policy: tpl('role/prowler*'),
    request: withExt(session('prowler-scanner'), null),
    decision: 'deny',
    check: (e) =>
      expect(cond(e, 'sts:ExternalId')).toMatchObject({
        requestValue: null,
        note: expect.stringMatching(/missing/),
      }),
  },
  {
    name: 'template: External ID differs only in case (StringEquals is case-sensitive)',
    policy: tpl('role/prowler*'),
    request: withExt(session('prowler-scanner'), EXT.toUpperCase()),
    decision: 'deny',
    check: (e) => expect(cond(e, 'sts:ExternalId')?.note).toMatch(/case/),
  },
  {
    name: 'template: condition key names are case-insensitive',
    policy: tpl('role/prowler*'),
    request: { principalArn: session('prowler-x'), context: { 'STS:EXTERNALID': EXT } },
    decision: 'allow',
  },
  {
    name: 'template: caller in another account',
    policy: tpl('role/prowler*'),
    request: withExt(session('prowler-x', OTHER)),
    decision: 'deny',
  },
  {
    name: 'template aws-cn: caller in aws-cn',
    policy: tpl('role/prowler*', { partition: 'aws-cn' }),
    request: withExt(session('prowler-x', SCANNER, 'aws-cn')),
    decision: 'allow',
  },
  {
    name: 'template aws: caller in aws-us-gov (no trust across partitions)',
    policy: tpl('role/prowler*'),
    request: withExt(session('prowler-x', SCANNER, 'aws-us-gov')),
    decision: 'deny',
    check: (e) => expect(e.statements[0]?.principal.note).toMatch(/partition/),
  },
  {
    name: 'bare account ID trusts the account, but not from another partition (role partition given)',
    policy: allowAccount(),
    request: { principalArn: user('x', SCANNER, 'aws-cn'), partition: 'aws' },
    decision: 'deny',
  },

  {
    name: 'even Principal "*" does not reach a caller in another partition than the role',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }),
    request: { principalArn: user('x', SCANNER, 'aws-cn'), partition: 'aws' },
    decision: 'deny',
    check: (e) => expect(e.statements[0]?.principal.note).toMatch(/across partitions/),
  },

  // Principal forms.
  {
    name: 'Principal AWS bare account ID: whole account',
    policy: allowAccount(),
    request: { principalArn: user('x') },
    decision: 'allow',
  },
  {
    name: 'Principal root ARN means the whole account, not only root',
    policy: stmt({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${SCANNER}:root` },
      Action: 'sts:AssumeRole',
    }),
    request: { principalArn: session('anything') },
    decision: 'allow',
    check: (e) => expect(e.statements[0]?.principal.note).toMatch(/every principal/),
  },
  {
    name: 'Principal "*"',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }),
    request: { principalArn: user('x', OTHER) },
    decision: 'allow',
  },
  {
    name: 'Principal {"AWS": "*"}',
    policy: stmt({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }),
    request: { principalArn: user('x', OTHER) },
    decision: 'allow',
  },
  {
    name: 'Principal list: the caller is the second entry',
    policy: stmt({
      Effect: 'Allow',
      Principal: { AWS: [user('a', OTHER), user('prowler-app')] },
      Action: 'sts:AssumeRole',
    }),
    request: { principalArn: user('prowler-app') },
    decision: 'allow',
  },
  {
    name: 'Principal user ARN: another user',
    policy: stmt({ Effect: 'Allow', Principal: { AWS: user('a') }, Action: 'sts:AssumeRole' }),
    request: { principalArn: user('b') },
    decision: 'deny',
  },
  {
    name: 'Principal role ARN with a path: the assumed-role session of that role name',
    policy: stmt({ Effect: 'Allow', Principal: { AWS: role('team/scanner') }, Action: 'sts:AssumeRole' }),
    request: { principalArn: session('scanner') },
    decision: 'allow',
    check: (e) => expect(e.statements[0]?.principal.note).toMatch(/role name/),
  },
  {
    name: 'Principal Service is not an IAM caller',
    policy: stmt({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    request: { principalArn: role('x') },
    decision: 'deny',
  },
  {
    name: 'Principal ARN with a wildcard is invalid',
    policy: stmt({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${SCANNER}:role/prowler*` },
      Action: 'sts:AssumeRole',
    }),
    request: { principalArn: role('prowler-x') },
    decision: 'deny',
    check: (e) => expect(e.policyErrors.join(' ')).toMatch(/wildcard/),
  },
  {
    name: 'NotPrincipal in a Deny: everyone except the listed user is denied',
    policy: {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: SCANNER }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', NotPrincipal: { AWS: user('prowler-app') }, Action: 'sts:AssumeRole' },
      ],
    },
    request: { principalArn: user('someone-else') },
    decision: 'deny',
    reason: 'explicit-deny',
  },

  // Explicit deny wins.
  {
    name: 'explicit Deny for one user beats the account Allow',
    policy: {
      Statement: [
        allowAccount().Statement[0],
        { Effect: 'Deny', Principal: { AWS: user('intern') }, Action: 'sts:*' },
      ],
    },
    request: { principalArn: user('intern') },
    decision: 'deny',
    reason: 'explicit-deny',
  },
  {
    name: 'Deny with StringNotEquals ExternalId: the right ID passes',
    policy: {
      Statement: [
        allowAccount().Statement[0],
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { StringNotEquals: { 'sts:ExternalId': EXT } },
        },
      ],
    },
    request: withExt(user('x')),
    decision: 'allow',
  },
  {
    name: 'Deny with StringNotEquals ExternalId: a missing key makes the negated condition true',
    policy: {
      Statement: [
        allowAccount().Statement[0],
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { StringNotEquals: { 'sts:ExternalId': EXT } },
        },
      ],
    },
    request: { principalArn: user('x') },
    decision: 'deny',
    reason: 'explicit-deny',
  },
  {
    name: 'nothing applies: implicit deny',
    policy: allowAccount(),
    request: { principalArn: user('x', OTHER) },
    decision: 'deny',
    reason: 'implicit-deny',
  },

  // Action and NotAction.
  {
    name: 'Action sts:* covers AssumeRole',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: 'sts:*' }),
    request: { principalArn: user('x') },
    decision: 'allow',
  },
  {
    name: 'Action sts:Assume?ole with ?',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: 'sts:Assume?ole' }),
    request: { principalArn: user('x') },
    decision: 'allow',
  },
  {
    name: 'Action names are case-insensitive',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: 'STS:ASSUMEROLE' }),
    request: { principalArn: user('x') },
    decision: 'allow',
  },
  {
    name: 'Action sts:TagSession only',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: ['sts:TagSession'] }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  {
    name: 'NotAction sts:TagSession allows AssumeRole',
    policy: stmt({ Effect: 'Allow', Principal: '*', NotAction: 'sts:TagSession' }),
    request: { principalArn: user('x') },
    decision: 'allow',
  },
  {
    name: 'NotAction sts:* excludes AssumeRole',
    policy: stmt({ Effect: 'Allow', Principal: '*', NotAction: 'sts:*' }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },

  // Condition operators.
  {
    name: 'OR within a key: one of two External IDs',
    policy: allowAccount({ Condition: { StringEquals: { 'sts:ExternalId': ['ext-a', EXT] } } }),
    request: withExt(user('x')),
    decision: 'allow',
  },
  {
    name: 'AND across keys: External ID right, principal wrong',
    policy: allowAccount({
      Condition: { StringEquals: { 'sts:ExternalId': EXT, 'aws:PrincipalArn': user('y') } },
    }),
    request: withExt(user('x')),
    decision: 'deny',
  },
  {
    name: 'AND across operators: StringEquals passes, StringLike fails',
    policy: allowAccount({
      Condition: { StringEquals: { 'sts:ExternalId': EXT }, StringLike: { 'aws:PrincipalArn': '*:role/*' } },
    }),
    request: withExt(user('x')),
    decision: 'deny',
  },
  {
    name: 'StringEqualsIgnoreCase',
    policy: allowAccount({ Condition: { StringEqualsIgnoreCase: { 'sts:ExternalId': EXT.toUpperCase() } } }),
    request: withExt(user('x')),
    decision: 'allow',
  },
  {
    name: 'StringNotEqualsIgnoreCase',
    policy: allowAccount({
      Condition: { StringNotEqualsIgnoreCase: { 'sts:ExternalId': EXT.toUpperCase() } },
    }),
    request: withExt(user('x')),
    decision: 'deny',
  },
  {
    name: 'StringNotLike excludes interns',
    policy: allowAccount({ Condition: { StringNotLike: { 'aws:PrincipalArn': '*:user/intern-*' } } }),
    request: { principalArn: user('intern-1') },
    decision: 'deny',
  },
  {
    name: 'ArnLike with a wildcard account part',
    policy: allowAccount({ Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/prowler*' } } }),
    request: { principalArn: session('prowler-x') },
    decision: 'allow',
  },
  {
    name: 'ArnEquals exact',
    policy: allowAccount({ Condition: { ArnEquals: { 'aws:PrincipalArn': role('scanner') } } }),
    request: { principalArn: session('scanner') },
    decision: 'allow',
  },
  {
    name: 'ArnNotLike',
    policy: allowAccount({ Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } } }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  {
    name: 'ArnLike does not let * cross the colon-separated parts',
    policy: allowAccount({ Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } } }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  {
    name: 'Bool true',
    policy: allowAccount({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    request: { principalArn: user('x'), context: { 'aws:MultiFactorAuthPresent': true } },
    decision: 'allow',
  },
  {
    name: 'Bool with the key missing is false',
    policy: allowAccount({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': true } } }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  {
    name: 'BoolIfExists with the key missing is true',
    policy: allowAccount({ Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    request: { principalArn: user('x') },
    decision: 'allow',
  },
  {
    name: 'StringLikeIfExists with the key present still compares',
    policy: allowAccount({ Condition: { StringLikeIfExists: { 'sts:SourceIdentity': 'scan-*' } } }),
    request: { principalArn: user('x'), context: { 'sts:SourceIdentity': 'other' } },
    decision: 'deny',
  },
  {
    name: 'Null true: the key must be absent',
    policy: allowAccount({ Condition: { Null: { 'sts:ExternalId': 'true' } } }),
    request: { principalArn: user('x') },
    decision: 'allow',
  },
  {
    name: 'Null false: the key must be present',
    policy: allowAccount({ Condition: { Null: { 'sts:ExternalId': 'false' } } }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  {
    name: 'ForAnyValue:StringLike over a multi-valued key',
    policy: allowAccount({ Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'team*' } } }),
    request: { principalArn: user('x'), context: { 'aws:TagKeys': ['cost', 'team-a'] } },
    decision: 'allow',
  },
  {
    name: 'ForAllValues:StringEquals with one value outside the set',
    policy: allowAccount({ Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } } }),
    request: { principalArn: user('x'), context: { 'aws:TagKeys': ['a', 'c'] } },
    decision: 'deny',
  },
  {
    name: 'aws:PrincipalAccount is derived from the caller',
    policy: stmt({
      Effect: 'Allow',
      Principal: '*',
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:PrincipalAccount': SCANNER } },
    }),
    request: { principalArn: session('x') },
    decision: 'allow',
  },

  // Document shapes.
  {
    name: 'Statement as a single object',
    policy: {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: { AWS: SCANNER }, Action: 'sts:AssumeRole' },
    },
    request: { principalArn: user('x') },
    decision: 'allow',
  },
  {
    name: 'no Statement: deny with a policy error',
    policy: { Version: '2012-10-17' },
    request: { principalArn: user('x') },
    decision: 'deny',
    check: (e) => expect(e.policyErrors.join(' ')).toMatch(/no Statement/),
  },
  {
    name: 'the template text before rendering: unresolved Fn::Sub is explained',
    policy: stmt({
      Effect: 'Allow',
      Principal: { AWS: SCANNER },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
    }),
    request: withExt(user('x')),
    decision: 'deny',
    check: (e) => expect(e.policyErrors.join(' ')).toMatch(/CloudFormation/),
  },
  {
    name: 'a Resource in a trust policy is refused by IAM, so nothing is allowed',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }),
    request: { principalArn: user('x') },
    decision: 'deny',
    check: (e) => {
      expect(e.statements[0]?.applies).toBe(true);
      expect(e.policyErrors.join(' ')).toMatch(/Resource/);
    },
  },
  {
    name: 'an invalid Effect ignores the statement',
    policy: stmt({ Effect: 'allow', Principal: '*', Action: 'sts:AssumeRole' }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  {
    name: 'a non-object document',
    policy: 'not json',
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  // Unique IDs in a Principal: what IAM shows once the principal was deleted (DOC.principal,
  // "the principal ID appears ... because AWS can no longer map it back to a valid ARN";
  // prefixes from DOC.identifiers). It matches nobody and leaves the document valid.
  {
    name: `unique ID: a deleted role's ${DELETED_ROLE_ID} next to a live user: the user still matches (${DOC.principal})`,
    policy: stmt({
      Effect: 'Allow',
      Principal: { AWS: [DELETED_ROLE_ID, user('prowler-app')] },
      Action: 'sts:AssumeRole',
    }),
    request: { principalArn: user('prowler-app') },
    decision: 'allow',
    check: noErrors,
  },
  {
    name: 'unique ID: alone, it matches nobody, not even a role re-created with the same name, and is no policy error',
    policy: stmt({ Effect: 'Allow', Principal: { AWS: DELETED_ROLE_ID }, Action: 'sts:AssumeRole' }),
    request: { principalArn: session('ProwlerScan') },
    decision: 'deny',
    check: (e) => {
      noErrors(e);
      expect(e.statements[0]?.principal.note).toMatch(/unique ID of a role.*deleted/);
    },
  },
  {
    name: `unique ID: aws iam get-role output with a deleted user's ${DELETED_USER_ID} and the account root`,
    policy: JSON.stringify({
      Role: {
        RoleName: 'ProwlerScan',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: [DELETED_USER_ID, `arn:aws:iam::${SCANNER}:root`] },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': EXT } },
            },
          ],
        },
      },
    }),
    request: withExt(session('prowler-scanner')),
    decision: 'allow',
    check: noErrors,
  },
  ...['AIPAJQABLZS4A3QDU576Q', 'ANPAJQABLZS4A3QDU576Q', 'AGPAJQABLZS4A3QDU576Q'].map(
    (id): Case => ({
      name: `unique ID: ${id.slice(0, 4)} (${DOC.identifiers}) matches nobody and is no policy error`,
      policy: stmt({ Effect: 'Allow', Principal: { AWS: [id] }, Action: 'sts:AssumeRole' }),
      request: { principalArn: user('x') },
      decision: 'deny',
      check: noErrors,
    }),
  ),
  {
    name: 'unique ID: an undocumented prefix is not a principal (policy error)',
    policy: stmt({ Effect: 'Allow', Principal: { AWS: 'ZZZZJQABLZS4A3QDU576Q' }, Action: 'sts:AssumeRole' }),
    request: { principalArn: user('x') },
    decision: 'deny',
    check: (e) => expect(e.policyErrors.join(' ')).toMatch(/neither/),
  },

  // Policy variables in string and ARN condition values (DOC.variables).
  {
    name: `variables: \${aws:PrincipalAccount} in a StringLike ARN (${DOC.variables})`,
    policy: allow2012({
      StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:user/*' },
    }),
    request: { principalArn: user('prowler-app') },
    decision: 'allow',
    check: (e) =>
      expect(cond(e, 'aws:PrincipalArn')?.note).toContain(`\${aws:PrincipalAccount} = ${SCANNER}`),
  },
  {
    name: 'variables: ${aws:username} is the IAM user’s friendly name',
    policy: allow2012({ StringEquals: { 'sts:ExternalId': '${aws:username}-ext' } }),
    request: { principalArn: user('ops/prowler-app'), context: { 'sts:ExternalId': 'prowler-app-ext' } },
    decision: 'allow',
  },
  {
    name: 'variables: ${aws:username} has no value for a role session, so the condition fails',
    policy: allow2012({ StringEquals: { 'sts:ExternalId': '${aws:username}-ext' } }),
    request: { principalArn: session('prowler-app'), context: { 'sts:ExternalId': 'prowler-app-ext' } },
    decision: 'deny',
    check: (e) =>
      expect(cond(e, 'sts:ExternalId')?.note).toMatch(/\$\{aws:username\} cannot be resolved.*no value/),
  },
  {
    name: 'variables: ${aws:PrincipalTag/team} from the request, in an ArnLike pattern',
    policy: allow2012({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/${aws:PrincipalTag/team}-*' } }),
    request: { principalArn: session('blue-scanner'), context: { 'aws:PrincipalTag/team': 'blue' } },
    decision: 'allow',
  },
  {
    name: 'variables: the same policy without the tag in the request fails the condition',
    policy: allow2012({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/${aws:PrincipalTag/team}-*' } }),
    request: { principalArn: session('blue-scanner') },
    decision: 'deny',
    check: (e) => expect(cond(e, 'aws:PrincipalArn')?.note).toMatch(/aws:PrincipalTag\/team has no value/),
  },
  {
    name: 'variables: ${aws:userid} from the request',
    policy: allow2012({ StringEquals: { 'sts:ExternalId': '${aws:userid}' } }),
    request: {
      principalArn: user('prowler-app'),
      context: { 'aws:userid': DELETED_USER_ID, 'sts:ExternalId': DELETED_USER_ID },
    },
    decision: 'allow',
  },
  {
    name: 'variables: ${aws:PrincipalArn} in ArnEquals',
    policy: allow2012({ ArnEquals: { 'aws:SourceArn': '${aws:PrincipalArn}' } }),
    request: { principalArn: session('scanner'), context: { 'aws:SourceArn': role('scanner') } },
    decision: 'allow',
  },
  {
    name: 'variables: key names in a variable are case-insensitive, like condition keys',
    policy: allow2012({ StringEquals: { 'sts:ExternalId': '${AWS:USERNAME}' } }),
    request: { principalArn: user('prowler-app'), context: { 'sts:ExternalId': 'prowler-app' } },
    decision: 'allow',
  },
  {
    name: 'variables: ${*} is a literal asterisk, not a wildcard (it matches "ext*")',
    policy: allow2012({ StringLike: { 'sts:ExternalId': 'ext${*}' } }),
    request: withExt(user('x'), 'ext*'),
    decision: 'allow',
  },
  {
    name: 'variables: ${*} is a literal asterisk, not a wildcard (it does not match "ext-abc")',
    policy: allow2012({ StringLike: { 'sts:ExternalId': 'ext${*}' } }),
    request: withExt(user('x'), 'ext-abc'),
    decision: 'deny',
  },
  {
    name: 'variables: ${?} and ${$} are the characters themselves',
    policy: allow2012({ StringLike: { 'sts:ExternalId': 'a${$}b${?}c' } }),
    request: withExt(user('x'), 'a$b?c'),
    decision: 'allow',
  },
  {
    name: 'variables: a default value stands in when the key has none',
    policy: allow2012({ StringEquals: { 'sts:ExternalId': "${aws:username, 'nobody'}" } }),
    request: withExt(session('scanner'), 'nobody'),
    decision: 'allow',
  },
  {
    name: 'variables: the request’s value wins over the default',
    policy: allow2012({ StringEquals: { 'sts:ExternalId': "${aws:username, 'nobody'}" } }),
    request: withExt(user('prowler-app'), 'nobody'),
    decision: 'deny',
  },
  {
    name: 'variables: a value put in is matched as written (a "*" in a tag is not a wildcard)',
    policy: allow2012({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/${aws:PrincipalTag/team}' } }),
    request: { principalArn: session('blue-scanner'), context: { 'aws:PrincipalTag/team': 'blue*' } },
    decision: 'deny',
  },
  {
    name: 'variables: a multivalued key cannot be a variable',
    policy: allow2012({ StringEquals: { 'sts:ExternalId': '${aws:TagKeys}' } }),
    request: withExt(user('x'), 'a', { 'aws:TagKeys': ['a', 'b'] }),
    decision: 'deny',
    check: (e) => expect(cond(e, 'sts:ExternalId')?.note).toMatch(/multivalued/),
  },
  {
    name: 'variables: without Version 2012-10-17, ${…} is plain text',
    policy: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: SCANNER },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': '${aws:username}' } },
        },
      ],
    },
    request: withExt(user('prowler-app'), '${aws:username}'),
    decision: 'allow',
  },
  {
    name: 'variables: not read by operators other than string and ARN ones (Numeric)',
    policy: allow2012({ NumericEquals: { 'sts:DurationSeconds': '${aws:username}' } }),
    request: { principalArn: user('3600'), context: { 'sts:DurationSeconds': '3600' } },
    decision: 'deny',
  },
  {
    name: 'variables: an unresolved variable fails a negated condition too, so that Deny does not apply',
    policy: {
      Version: '2012-10-17',
      Statement: [
        allowAccount().Statement[0],
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { StringNotEquals: { 'sts:ExternalId': '${aws:username}' } },
        },
      ],
    },
    request: withExt(session('scanner'), 'anything'),
    decision: 'allow',
  },

  // ForAnyValue on a key the request does not carry is false, IfExists or not (DOC.multivalued).
  {
    name: `ForAnyValue: key absent is false (${DOC.multivalued})`,
    policy: allowAccount({ Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'team*' } } }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  {
    name: 'ForAnyValue: key absent is false even with IfExists',
    policy: allowAccount({ Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'team*' } } }),
    request: { principalArn: user('x') },
    decision: 'deny',
    check: (e) => expect(cond(e, 'aws:TagKeys')?.note).toMatch(/ForAnyValue needs at least one/),
  },
  {
    name: 'ForAnyValue: an empty set of values is false even with IfExists',
    policy: allowAccount({ Condition: { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'team' } } }),
    request: { principalArn: user('x'), context: { 'aws:TagKeys': [] } },
    decision: 'deny',
  },
  {
    name: 'ForAnyValue: a negated operator on an absent key is false too',
    policy: allowAccount({ Condition: { 'ForAnyValue:StringNotEqualsIfExists': { 'aws:TagKeys': 'team' } } }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  {
    name: 'ForAllValues: key absent is true (the contrast)',
    policy: allowAccount({ Condition: { 'ForAllValues:StringEqualsIfExists': { 'aws:TagKeys': 'team' } } }),
    request: { principalArn: user('x') },
    decision: 'allow',
  },

  // A wildcard belongs to the action name only: "service:Name*" (DOC.grammar, action_string; DOC.action).
  {
    name: `Action st*:AssumeRole is not an action and matches nothing (${DOC.grammar})`,
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: 'st*:AssumeRole' }),
    request: { principalArn: user('x') },
    decision: 'deny',
    check: (e) => {
      noErrors(e);
      expect(e.statements[0]?.action.note).toMatch(/not an action.*after the colon/);
    },
  },
  {
    name: 'Action *:AssumeRole matches nothing',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: '*:AssumeRole' }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  {
    name: 'Action sts* (no colon) matches nothing',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: 'sts*' }),
    request: { principalArn: user('x') },
    decision: 'deny',
  },
  {
    name: 'Action list: an invalid entry does not spoil the valid one',
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: ['st*:AssumeRole', 'sts:Assume*'] }),
    request: { principalArn: user('x') },
    decision: 'allow',
  },
  {
    name: `Action "*" alone is every action (${DOC.action})`,
    policy: stmt({ Effect: 'Allow', Principal: '*', Action: '*' }),
    request: { principalArn: user('x') },
    decision: 'allow',
  },
  {
    name: 'NotAction st*:* excludes nothing, so AssumeRole is covered',
    policy: stmt({ Effect: 'Allow', Principal: '*', NotAction: 'st*:*' }),
    request: { principalArn: user('x') },
    decision: 'allow',
  },
];
describe('evaluate: the case table', () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const result = evaluate(c.policy, c.request);
    expect(evaluationSchema.parse(result)).toEqual(result);
    expect(result.decision, JSON.stringify(result, null, 1)).toBe(c.decision);
    if (c.reason) expect(result.reason).toBe(c.reason);
    c.check?.(result);
  });
});

describe('evaluate: the explanation', () => {
  it('shows policy and request values side by side for each part', () => {
    const e = evaluate(tpl('role/prowler*'), withExt(session('other-role'), 'wrong'));
    const s = e.statements[0];
    expect(s?.principal).toMatchObject({
      matched: true,
      policyValues: [`arn:aws:iam::${SCANNER}:root`],
      requestValue: role('other-role'),
    });
    expect(s?.action).toMatchObject({
      matched: true,
      policyValues: ['sts:AssumeRole'],
      requestValue: 'sts:AssumeRole',
    });
    expect(s?.conditions).toEqual([
      expect.objectContaining({
        operator: 'StringEquals',
        key: 'sts:ExternalId',
        policyValues: [EXT],
        requestValue: 'wrong',
        matched: false,
      }),
      expect.objectContaining({
        operator: 'StringLike',
        key: 'aws:PrincipalArn',
        policyValues: [`arn:aws:iam::${SCANNER}:role/prowler*`],
        requestValue: role('other-role'),
        matched: false,
      }),
    ]);
    expect(s?.applies).toBe(false);
  });

  it('converts an assumed-role caller and keeps the explicit pathUnknown flag', () => {
    const e = evaluate(tpl('role/ops/prowler*'), {
      principalArn: role('prowler-x'),
      pathUnknown: true,
      context: { 'sts:ExternalId': EXT },
    });
    expect(cond(e, 'aws:PrincipalArn')?.note).toMatch(/role path unknown/);
  });

  it('an IfExists condition without its key says so', () => {
    const e = evaluate(allowAccount({ Condition: { StringEqualsIfExists: { 'sts:SourceIdentity': 'x' } } }), {
      principalArn: user('x'),
    });
    expect(cond(e, 'sts:SourceIdentity')).toMatchObject({
      matched: true,
      requestValue: null,
      note: expect.stringMatching(/not in the request/),
    });
  });

  it('an unknown operator is a policy error and does not match', () => {
    const e = evaluate(
      allowAccount({ Condition: { StringSortOf: { 'sts:ExternalId': EXT } } }),
      withExt(user('x')),
    );
    expect(e.decision).toBe('deny');
    expect(e.policyErrors.join(' ')).toMatch(/StringSortOf/);
  });
});

describe('parsePolicyText', () => {
  it('unwraps aws iam get-role output', () => {
    const doc = tpl('role/prowler*');
    const parsed = parsePolicyText(
      JSON.stringify({ Role: { RoleName: 'ProwlerScan', AssumeRolePolicyDocument: doc } }),
    );
    expect(parsed).toEqual({ policy: doc });
  });

  it('decodes a URL-encoded document (older IAM API answers)', () => {
    const doc = tpl('role/prowler*');
    expect(
      parsePolicyText(JSON.stringify({ AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(doc)) })),
    ).toEqual({ policy: doc });
  });

  it.each([
    ['', /empty/],
    ['{"Statement": [', /not valid JSON/],
    ['[1, 2]', /JSON object/],
  ])('refuses %j', (text, message) => {
    const parsed = parsePolicyText(text);
    expect('error' in parsed && parsed.error).toMatch(message);
  });
});

// The evaluator's bounds (limits.ts), the same for the browser simulator and the CLI:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
describe('evaluate: size bounds', () => {
  const TOO_LARGE =
    /more than 10,240 characters \(white space not counted\), more than IAM accepts in any policy/;

  it('refuses a document past 10,240 characters with a sentence, as an object or as text', () => {
    const big = { ...tpl('role/prowler*'), Id: 'x'.repeat(MAX_POLICY_CHARS) };
    const e = evaluate(big, withExt(session('prowler-x')));
    expect(e).toMatchObject({ decision: 'deny', statements: [] });
    expect(e.policyErrors).toEqual([expect.stringMatching(TOO_LARGE)]);
    const parsed = parsePolicyText(JSON.stringify(big));
    expect('error' in parsed && parsed.error).toMatch(TOO_LARGE);
    expect(evaluate(JSON.stringify(big), withExt(session('prowler-x'))).policyErrors).toEqual(e.policyErrors);
  });

  it('counts as IAM counts, without white space: a pretty-printed document at the bound is read', () => {
    const doc = { ...tpl('role/prowler*'), Id: 'x'.repeat(MAX_POLICY_CHARS - 400) };
    const text = JSON.stringify(doc, null, 8);
    expect(parsePolicyText(text)).toEqual({ policy: doc });
  });

  it('reads aws iam get-role output with 50 tags around a document at the bound', () => {
    const doc = { ...tpl('role/prowler*'), Id: 'x'.repeat(MAX_POLICY_CHARS - 400) };
    const tags = Array.from({ length: 50 }, (_, i) => ({
      Key: `k${i}`.padEnd(128, 'k'),
      Value: 'v'.repeat(256),
    }));
    const getRole = JSON.stringify(
      {
        Role: {
          Path: '/',
          RoleName: 'ProwlerScan',
          RoleId: DELETED_ROLE_ID,
          Arn: role('ProwlerScan'),
          Description: 'd'.repeat(1_000),
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(doc)),
          Tags: tags,
        },
      },
      null,
      4,
    );
    expect(parsePolicyText(getRole)).toEqual({ policy: doc });
  });

  it('refuses pasted text past 100,000 characters before parsing it', () => {
    const parsed = parsePolicyText(
      `${JSON.stringify(tpl('role/prowler*'))}${' '.repeat(MAX_POLICY_TEXT_CHARS)}`,
    );
    expect('error' in parsed && parsed.error).toMatch(/reads at most 100,000/);
  });

  it('refuses a caller ARN or a context value past 2,048 characters', () => {
    const long = evaluate(tpl('*'), { principalArn: user('u'.repeat(MAX_REQUEST_VALUE_CHARS)) });
    expect(long.policyErrors).toEqual([expect.stringMatching(/caller ARN is 2,079 characters/)]);
    const context = evaluate(tpl('*'), withExt(user('u'), 'e'.repeat(MAX_REQUEST_VALUE_CHARS + 1)));
    expect(context.policyErrors).toEqual([expect.stringMatching(/sts:ExternalId is 2,049 characters/)]);
  });

  // `*a*a*…*b` against a run of "a" takes a backtracking matcher (or a RegExp built from the
  // pattern) time exponential in the stars: these would never finish. No clock is read.
  it.each([
    ['StringLike', `${'*a'.repeat(4_900)}*b`],
    ['ArnLike', `arn:aws:iam::*:user/${'*a'.repeat(4_880)}*b`],
    ['StringLike with ?', `${'?*'.repeat(4_900)}b`],
  ])('answers a crafted %s pattern at the size bound', (operator, pattern) => {
    const op = operator.split(' ')[0] ?? operator;
    const policy = allowAccount({ Condition: { [op]: { 'aws:PrincipalArn': pattern } } });
    const runOfA = user('a'.repeat(MAX_REQUEST_VALUE_CHARS - 40));
    const refused = evaluate(policy, { principalArn: runOfA });
    expect(refused.policyErrors).toEqual([]);
    expect(refused.decision).toBe('deny');
  });
});
