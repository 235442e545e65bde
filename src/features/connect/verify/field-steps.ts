import type { StepId } from '../step-props.ts';

// Where a server field error (400 error.fields[].path) is fixed: the step that owns the field.
const OWNERS: [RegExp, StepId, string][] = [
  [/^source\.accessKeyId$/, 'source', 'Access key ID'],
  [/^source\.secretAccessKey$/, 'source', 'Secret access key'],
  [/^source\.sessionToken$/, 'source', 'Session token'],
  [/^source/, 'source', 'Credential source'],
  [/^(externalId)$/, 'trust', 'External ID'],
  [/^trustedAccountId$/, 'trust', 'AccountId'],
  [/^iamPrincipal$/, 'trust', 'IAMPrincipal'],
  [/^roleArn$/, 'role', 'Role ARN'],
  [/^accountId$/, 'role', 'Account you are connecting'],
  [/^sessionName$/, 'role', 'Session name'],
  [/^durationSeconds$/, 'role', 'Session duration'],
  [/^(region|partition)$/, 'template', 'Region'],
  [/^stackName$/, 'template', 'Stack name'],
];

export function fieldOwner(path: string): { step: StepId; label: string } {
  for (const [re, step, label] of OWNERS) if (re.test(path)) return { step, label };
  return { step: 'role', label: path };
}
