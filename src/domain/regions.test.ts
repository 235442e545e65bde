import { partition as sdkPartition } from '@aws-sdk/core/client';
import { describe, expect, it } from 'vitest';
import { PARTITIONS } from './inputs.ts';
import { ALL_REGIONS, isKnownRegion, partitionForRegion, REGIONS_BY_PARTITION } from './regions.ts';

// The region list against the AWS SDK's own partition data (the one the SDK resolves endpoints
// with): every listed region is one the SDK names, in the partition we say.

const LISTED = Object.entries(REGIONS_BY_PARTITION).flatMap(([partition, regions]) =>
  regions.map((region) => [region, partition] as const),
);

describe('the region list', () => {
  it('covers every partition, each with at least one region, and lists no region twice', () => {
    expect(Object.keys(REGIONS_BY_PARTITION).sort()).toEqual([...PARTITIONS].sort());
    for (const regions of Object.values(REGIONS_BY_PARTITION)) expect(regions.length).toBeGreaterThan(0);
    expect(new Set(ALL_REGIONS).size).toBe(ALL_REGIONS.length);
  });

  it('has the opt-in Regions the demo and users rely on', () => {
    for (const region of ['ap-east-1', 'af-south-1', 'me-south-1', 'il-central-1', 'mx-central-1'])
      expect(isKnownRegion(region), region).toBe(true);
  });

  it.each(LISTED)('%s is a region the AWS SDK knows, in %s', (region, partition) => {
    const info = sdkPartition(region) as { name: string; description?: string };
    expect(info.name).toBe(partition);
    // Only regions listed in the SDK's data carry a description ("US East (N. Virginia)").
    expect(info.description, `${region} is not in the SDK's partition data`).toEqual(expect.any(String));
  });

  it.each(LISTED)('partitionForRegion(%s) is %s', (region, partition) => {
    expect(partitionForRegion(region)).toBe(partition);
  });

  it.each([
    ['zz-abcd-1', 'aws'],
    ['cn-south-9', 'aws-cn'],
    ['us-gov-north-1', 'aws-us-gov'],
    ['eusc-de-west-9', 'aws-eusc'],
  ])(
    'a made-up region (%s) is not known, and is placed in the partition its prefix names (%s)',
    (region, p) => {
      expect(isKnownRegion(region)).toBe(false);
      expect(partitionForRegion(region)).toBe(p);
    },
  );
});
