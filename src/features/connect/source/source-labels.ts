import type { Flavour } from '../../../domain/api-contract.ts';
import type { CredentialSourceKind } from '../../../domain/inputs.ts';

// The two cards, worded per deployment flavour (docs/design.md#the-journey, step 1; issue 6 step 1).

export interface SourceLabel {
  title: string;
  description: string;
  recommended: boolean;
}

export function sourceLabels(flavour: Flavour, product: string): Record<CredentialSourceKind, SourceLabel> {
  const keys: SourceLabel = {
    title: 'Access & Secret Key',
    description: `Paste an access key of an IAM identity you control. ${product} uses it only to call sts:AssumeRole and never stores it.`,
    recommended: false,
  };
  if (flavour === 'hosted') {
    return {
      'sdk-default': {
        title: `${product} will assume your IAM role`,
        description: `${product} uses its own AWS identity to assume the role you create. No keys to paste, store or rotate.`,
        recommended: true,
      },
      'access-keys': keys,
    };
  }
  return {
    'sdk-default': {
      title: 'AWS SDK Default',
      description:
        'The server uses its own credentials from the AWS default chain: environment variables, shared config or profile, web identity, or the container or instance role.',
      recommended: false,
    },
    'access-keys': keys,
  };
}
