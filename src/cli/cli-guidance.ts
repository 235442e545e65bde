import type { GuidanceEnv } from '../domain/diagnosis/guidance.ts';

/** The CLI speaks of this shell: its default chain is the source (issue 12, item 6). */
export const CLI_GUIDANCE: GuidanceEnv = {
  flavour: 'self-hosted',
  productName: 'Prowler',
  deployment: 'node',
  audience: 'cli',
};
