import { parseRoleArn } from '../arn.ts';
import type { VerifyReport } from '../diagnosis-contract.ts';
import { shellQuote } from '../shell-quote.ts';
import { DEFAULT_STACK_NAME } from '../template/links.ts';
import { ADDITIONS_POLICY_NAME } from '../template/role-template.ts';
import { type Fact, factValue } from './evidence.ts';
import { DOCTOR_FORMAT } from './role-evidence.ts';

// The trust doctor as one copyable command (issue 12, item 3): run with the TARGET account's
// credentials (CloudShell in that account has them), it prints as one JSON object what the
// scanner cannot see: the role (trust policy, maximum session duration, tags, attached and inline
// policies) and its stack (status, parameters, outputs, last drift detection). A call that fails
// is printed as {"error": "<the aws CLI's message>"}, so NoSuchEntity (no such role) is evidence too.
//
// POSIX sh and flags that aws CLI v1 and v2 share. AWS_PAGER= keeps v2 from opening a pager.
// The CLI pretty-prints; leading spaces and newlines are dropped (JSON strings contain neither),
// which keeps the output near 4,000 characters. A failed call runs once more to capture its
// message alone (the reads are idempotent), escaped for JSON with tr and sed.

export interface DoctorTarget {
  roleName: string;
  /** The stack that deployed the role; omitted when there is none to read. */
  stackName?: string;
  /** The stack's region; IAM is global, the region only picks its partition's endpoint. */
  region: string;
}

const HELPER =
  "j() { if o=$(AWS_PAGER= aws \"$@\" --output json 2>/dev/null); then printf '%s' \"$o\" | sed 's/^ *//' | tr -d '\\n\\r'; " +
  "else printf '{\"error\":\"'; AWS_PAGER= aws \"$@\" --output json 2>&1 >/dev/null | tr '\\n\\r\\t' '   ' | sed 's/\\\\/\\\\\\\\/g; s/\"/\\\\\"/g' | cut -c1-400 | tr -d '\\n'; printf '\"}'; fi; }";

/** The role the trust doctor reads for a verification; null without a role ARN. */
export function doctorTarget(
  facts: readonly Fact[],
  request: Partial<VerifyReport['request']> | undefined,
): DoctorTarget | null {
  const roleArn = factValue(facts, 'roleArn') ?? request?.roleArn;
  const role = roleArn ? parseRoleArn(roleArn) : null;
  if (!role) return null;
  return {
    roleName: role.name,
    stackName: factValue(facts, 'stackName') ?? request?.stackName ?? DEFAULT_STACK_NAME,
    region: request?.region ?? factValue(facts, 'region') ?? 'us-east-1',
  };
}

/** The one command, with the user's values quoted for the shell. */
export function doctorCommand(target: DoctorTarget): string {
  const vars = [
    `r=${shellQuote(target.roleName)}`,
    `g=${shellQuote(target.region)}`,
    ...(target.stackName ? [`s=${shellQuote(target.stackName)}`] : []),
  ].join(' ');
  const meta = target.stackName
    ? `printf '{"awsConnectDoctor":${DOCTOR_FORMAT},"roleName":"%s","stackName":"%s","region":"%s"' "$r" "$s" "$g"`
    : `printf '{"awsConnectDoctor":${DOCTOR_FORMAT},"roleName":"%s","region":"%s"' "$r" "$g"`;
  const parts = [
    `printf ',"getRole":'; j iam --region "$g" get-role --role-name "$r"`,
    `printf ',"attachedPolicies":'; j iam --region "$g" list-attached-role-policies --role-name "$r"`,
    `printf ',"inlinePolicies":'; j iam --region "$g" list-role-policies --role-name "$r"`,
    `printf ',"additions":'; j iam --region "$g" get-role-policy --role-name "$r" --policy-name ${ADDITIONS_POLICY_NAME}`,
    ...(target.stackName
      ? [
          `printf ',"stack":'; j cloudformation describe-stacks --region "$g" --stack-name "$s"`,
          `printf ',"drifts":'; j cloudformation describe-stack-resource-drifts --region "$g" --stack-name "$s"`,
        ]
      : []),
    `printf '}\\n'`,
  ];
  return [`${vars}; ${HELPER}`, `${meta}`, ...parts].join('; ');
}
