// Every Region of every AWS partition, the only values a region field accepts. A made-up region
// that merely looks like one (zz-abcd-1) never reaches the SDK: each distinct region costs the
// server a client (docs/decisions/014-regions-from-a-list.md).
//
// Sources: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html (the
// aws, aws-cn and aws-us-gov Regions, opt-in ones included: Regions launched after 20 March 2019,
// such as ap-east-1, must be enabled per account, see
// https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html), and the partition
// data the AWS SDK for JavaScript v3 ships (@aws-sdk/core, util-endpoints partitions), which also
// lists the isolated partitions' Regions. A test checks each entry against the installed SDK's data.
// When AWS opens a Region, add it here.

export const REGIONS_BY_PARTITION = {
  aws: [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-eusc': ['eusc-de-east-1'],
} as const;

export type RegionPartition = keyof typeof REGIONS_BY_PARTITION;

/** Every Region, aws first, in the order above (the region field's suggestions). */
export const ALL_REGIONS: readonly string[] = Object.values(REGIONS_BY_PARTITION).flat();

const KNOWN = new Set(ALL_REGIONS);

export function isKnownRegion(region: string): boolean {
  return KNOWN.has(region);
}

/**
 * The partition a region belongs to, by its prefix, as the AWS SDK's partition data tells them
 * apart (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
 * Also answers for a region not in the list, so a refusal can name the partition it would be in.
 */
export function partitionForRegion(region: string): RegionPartition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-') || region.startsWith('eu-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}
