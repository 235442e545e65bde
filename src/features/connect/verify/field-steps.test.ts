import { describe, expect, it } from 'vitest';
import { fieldOwner } from './field-steps.ts';

describe('fieldOwner', () => {
  it.each([
    ['source.accessKeyId', 'source', 'Access key ID'],
    ['source.secretAccessKey', 'source', 'Secret access key'],
    ['source.kind', 'source', 'Credential source'],
    ['externalId', 'trust', 'External ID'],
    ['trustedAccountId', 'trust', 'AccountId'],
    ['iamPrincipal', 'trust', 'IAMPrincipal'],
    ['roleArn', 'role', 'Role ARN'],
    ['durationSeconds', 'role', 'Session duration'],
    ['region', 'template', 'Region'],
    ['somethingNew', 'role', 'somethingNew'],
  ] as const)('%s is fixed in %s', (path, step, label) => {
    expect(fieldOwner(path)).toEqual({ step, label });
  });
});
