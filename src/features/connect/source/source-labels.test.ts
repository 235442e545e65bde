import { describe, expect, it } from 'vitest';
import { sourceLabels } from './source-labels.ts';

describe('sourceLabels (docs/design.md#the-journey, step 1)', () => {
  it.each([
    ['hosted', 'Acme will assume your IAM role', true],
    ['self-hosted', 'AWS SDK Default', false],
  ] as const)('%s: the SDK default card reads "%s"', (flavour, title, recommended) => {
    const labels = sourceLabels(flavour, 'Acme');
    expect(labels['sdk-default'].title).toBe(title);
    expect(labels['sdk-default'].recommended).toBe(recommended);
    expect(labels['access-keys'].title).toBe('Access & Secret Key');
    expect(labels['access-keys'].description).toContain('sts:AssumeRole');
  });
});
