import { describe, expect, it } from 'vitest';
import { regionSchema } from '../../domain/inputs.ts';
import { templateFormSchema } from './step-schemas.ts';

// The template step's region field is the server's regionSchema: the same Regions, the same words.

describe('the template form', () => {
  it('refuses a made-up region with the message the server gives', () => {
    const form = templateFormSchema.safeParse({ region: 'zz-abcd-1', stackName: 'ProwlerScan' });
    const server = regionSchema.safeParse('zz-abcd-1');
    expect(form.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['region'], server.error?.issues[0]?.message],
    ]);
    expect(server.error?.issues[0]?.message).toMatch(/^zz-abcd-1 is not a region of the aws partition/);
  });

  it.each(['ap-east-1', 'cn-north-1', 'us-gov-east-1'])('accepts %s', (region) => {
    expect(templateFormSchema.safeParse({ region, stackName: 'ProwlerScan' }).success).toBe(true);
  });
});
