import { describe, expect, it } from 'vitest';
import { breakPieces } from './breakable.tsx';

// Lines break between these pieces only: never inside CAPABILITY_NAMED_IAM or prowler-scan-role.yaml.
describe('breakPieces', () => {
  it.each([
    [
      'arn:aws:iam::111111111111:user/prowler-app',
      ':/,',
      ['arn:', 'aws:', 'iam:', ':', '111111111111:', 'user/', 'prowler-app'],
    ],
    [
      'ParameterKey=ExternalId,ParameterValue=2acc767302a433e74df2e00c97307329',
      ',',
      ['ParameterKey=ExternalId,', 'ParameterValue=2acc767302a433e74df2e00c97307329'],
    ],
    ['CAPABILITY_NAMED_IAM', ',', ['CAPABILITY_NAMED_IAM']],
    ['file://prowler-scan-role.yaml', ',', ['file://prowler-scan-role.yaml']],
    ['trailing/', '/', ['trailing/']],
    ['', ':', []],
  ])('%s', (text, after, pieces) => {
    expect(breakPieces(text, after)).toEqual(pieces);
    expect(breakPieces(text, after).join('')).toBe(text);
  });
});
