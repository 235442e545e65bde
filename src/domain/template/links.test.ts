// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations, not JavaScript templates
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../testing/tools.ts';
import {
  createStackCommand,
  isS3TemplateUrl,
  quickCreateUrl,
  terraformSnippet,
  updateStackCommand,
} from './links.ts';
import { additionsPolicyDocument, managedPolicyArns, trustPolicyFor } from './role-template.ts';

const PARAMS = {
  externalId: 'ext+/=,.@:-_1',
  trustedAccountId: '111122223333',
  iamPrincipal: 'role/prowler*',
};
const S3 = 'https://my-bucket.s3.eu-west-1.amazonaws.com/templates/prowler-scan-role.yaml';

/** The quick-create parameters, read back the way the console reads its hash route. */
function hashQuery(url: string): URLSearchParams {
  const hash = new URL(url).hash;
  return new URLSearchParams(hash.slice(hash.indexOf('?') + 1));
}

describe('quickCreateUrl', () => {
  it('builds the console link with every parameter, encoded', () => {
    const url = quickCreateUrl({
      templateUrl: S3,
      region: 'eu-west-1',
      stackName: 'ProwlerScan',
      params: PARAMS,
    });
    expect(url).toMatch(
      /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudformation\/home\?region=eu-west-1#\/stacks\/quickcreate\?/,
    );
    const q = hashQuery(url!);
    expect(Object.fromEntries(q)).toEqual({
      templateURL: S3,
      stackName: 'ProwlerScan',
      param_ExternalId: PARAMS.externalId,
      param_AccountId: PARAMS.trustedAccountId,
      param_IAMPrincipal: PARAMS.iamPrincipal,
    });
  });

  it.each([
    ['cn-north-1', 'https://cn-north-1.console.amazonaws.cn/'],
    ['us-gov-west-1', 'https://us-gov-west-1.console.amazonaws-us-gov.com/'],
  ])('uses the %s partition console', (region, prefix) => {
    expect(quickCreateUrl({ templateUrl: S3, region, params: PARAMS })?.startsWith(prefix)).toBe(true);
  });

  it('leaves out parameters that are not set', () => {
    const q = hashQuery(
      quickCreateUrl({ templateUrl: S3, region: 'us-east-1', params: { trustedAccountId: '111122223333' } })!,
    );
    expect([...q.keys()]).toEqual(['templateURL', 'stackName', 'param_AccountId']);
  });

  it.each([
    [null, 'us-east-1'],
    ['', 'us-east-1'],
    ['http://my-bucket.s3.amazonaws.com/t.yaml', 'us-east-1'],
    ['https://example.com/t.yaml', 'us-east-1'],
    ['https://s3.amazonaws.com.evil.example/t.yaml', 'us-east-1'],
    [S3, 'us-iso-east-1'],
    [S3, 'not a region'],
  ])('is null for template URL %j in %s (no broken links)', (templateUrl, region) => {
    expect(quickCreateUrl({ templateUrl, region, params: PARAMS })).toBeNull();
  });

  it.each([
    ['https://bucket.s3.amazonaws.com/k', true],
    ['https://s3.us-east-1.amazonaws.com/bucket/k', true],
    ['https://bucket.s3-us-west-2.amazonaws.com/k', true],
    ['https://bucket.s3.cn-north-1.amazonaws.com.cn/k', true],
    ['https://user:pw@bucket.s3.amazonaws.com/k', false],
    ['ftp://bucket.s3.amazonaws.com/k', false],
  ])('isS3TemplateUrl(%s) = %s', (url, ok) => expect(isS3TemplateUrl(url)).toBe(ok));
});

describe('isS3TemplateUrl on crafted host names (issue 11)', () => {
  // The pattern it used to apply to the whole host: right on short names, exponential on
  // crafted ones. Kept here as the oracle for names short enough for it to finish.
  const OLD_PATTERN = /(^|\.)s3([.-][a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;

  it('agrees with the old pattern on every short name made of S3-like pieces', () => {
    const pieces = ['s3', 's3-', 's3-eu-west-1', 'a', '-', '.', 'x_y', 'amazonaws', 'com', 'cn'];
    const suffixes = ['.amazonaws.com', '.amazonaws.com.cn', '.amazonaws.cn', ''];
    let compared = 0;
    const visit = (prefix: string, depth: number) => {
      for (const suffix of suffixes) {
        const url = `https://${prefix}${suffix}/k`;
        let host: string;
        try {
          host = new URL(url).hostname;
        } catch {
          continue;
        }
        expect(isS3TemplateUrl(url), host).toBe(OLD_PATTERN.test(host));
        compared++;
      }
      if (depth < 4) for (const piece of pieces) visit(prefix + piece, depth + 1);
    };
    visit('', 0);
    expect(compared).toBeGreaterThan(10_000);
  });

  it.each([
    ['dashes after s3 that end nowhere', `s3${'-a'.repeat(25_000)}.x`],
    ['s3 labels that end nowhere', `${'a.s3-'.repeat(10_000)}x`],
    ['s3 labels before the right suffix', `${'a.s3-'.repeat(10_000)}x.amazonaws.com`],
    ['one label of 50k characters', `s3-${'a'.repeat(50_000)}.amazonaws.com`],
  ])('a 50k-character host (%s) is refused, in linear time', (_name, host) => {
    expect(host.length).toBeGreaterThanOrEqual(50_000);
    // The old pattern did not finish on the second case in two minutes; this one returns at once.
    expect(isS3TemplateUrl(`https://${host}/t.yaml`)).toBe(false);
  });

  it('a long but real S3 host name is accepted', () => {
    const bucket = `a${'-b'.repeat(31)}`; // 63 characters, the longest bucket name
    expect(isS3TemplateUrl(`https://${bucket}.s3.dualstack.ap-southeast-2.amazonaws.com/k`)).toBe(true);
  });
});

describe('shell commands', () => {
  /** What the shell hands to the program after parsing the quoted word. */
  const shellWords = (command: string) => {
    const r = spawnSync('sh', ['-c', `for w in ${command}; do printf '%s\\0' "$w"; done`], {
      encoding: 'utf8',
    });
    return r.stdout.split('\0').slice(0, -1);
  };

  it('create-stack names the template, the capability and every parameter', () => {
    const cmd = createStackCommand({ region: 'eu-west-1', params: PARAMS });
    expect(cmd).toContain('aws cloudformation create-stack');
    expect(cmd).toContain('--region eu-west-1');
    expect(cmd).toContain('--stack-name ProwlerScan');
    expect(cmd).toContain('--template-body file://prowler-scan-role.yaml');
    expect(cmd).toContain('--capabilities CAPABILITY_NAMED_IAM');
    const words = shellWords(cmd.replaceAll('\\\n', ' '));
    // A value with a comma goes in the JSON form, which the CLI does not split.
    expect(words).toContain(
      JSON.stringify({ ParameterKey: 'ExternalId', ParameterValue: PARAMS.externalId }),
    );
    expect(words).toContain('ParameterKey=AccountId,ParameterValue=111122223333');
    expect(words).toContain('ParameterKey=IAMPrincipal,ParameterValue=role/prowler*');
  });

  it('update-stack changes only the given parameters and keeps the template', () => {
    const cmd = updateStackCommand({
      region: 'us-east-1',
      stackName: 'Scan',
      params: { iamPrincipal: 'user/prowler-app' },
    });
    const words = shellWords(cmd.replaceAll('\\\n', ' '));
    expect(words).toEqual(
      expect.arrayContaining([
        '--use-previous-template',
        'CAPABILITY_NAMED_IAM',
        'ParameterKey=ExternalId,UsePreviousValue=true',
        'ParameterKey=AccountId,UsePreviousValue=true',
        'ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app',
      ]),
    );
    expect(updateStackCommand({ region: 'us-east-1', params: {}, templateFile: 'new.yaml' })).toContain(
      '--template-body file://new.yaml',
    );
  });
});

describe('terraformSnippet', () => {
  const tf = terraformSnippet(PARAMS);
  /** The JSON inside `<attribute> = jsonencode(...)`, with Terraform's references filled in. */
  const jsonencoded = (attribute: string, refs: Record<string, string>) => {
    const start = tf.indexOf('jsonencode(', tf.indexOf(attribute)) + 'jsonencode('.length;
    const end = tf.indexOf('\n  })', start) + 4;
    return JSON.parse(
      tf.slice(start, end).replace(/\$\{([^}]+)\}/g, (_, ref: string) => refs[ref] ?? `?${ref}`),
    );
  };
  const refs = {
    'data.aws_partition.current.partition': 'aws',
    'var.trusted_account_id': PARAMS.trustedAccountId,
    'var.iam_principal': PARAMS.iamPrincipal,
    'var.external_id': PARAMS.externalId,
  };

  it('the trust policy is the template’s, with Terraform references', () => {
    expect(jsonencoded('assume_role_policy', refs)).toEqual(trustPolicyFor({ partition: 'aws', ...PARAMS }));
  });

  it('the additions policy and managed policies are the template’s', () => {
    expect(jsonencoded('\n  policy =', refs)).toEqual(additionsPolicyDocument);
    for (const arn of managedPolicyArns('${data.aws_partition.current.partition}'))
      expect(tf).toContain(JSON.stringify(arn));
  });

  // terraform is optional on these machines (not in the CI tool list): parse and format check only,
  // since `terraform validate` needs the AWS provider downloaded.
  it.runIf(hasTool('terraform'))(
    'is valid HCL exactly as terraform fmt writes it',
    () => {
      for (const snippet of [tf, terraformSnippet({})]) {
        const r = spawnSync('terraform', ['fmt', '-check', '-'], { input: snippet, encoding: 'utf8' });
        expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
      }
      const broken = spawnSync('terraform', ['fmt', '-check', '-'], {
        input: tf.replace('}\n', ''),
        encoding: 'utf8',
      });
      expect(broken.status).not.toBe(0);
    },
    30_000,
  );

  it('bakes the values in as variable defaults and keeps one-hour sessions', () => {
    expect(tf).toContain(`default     = ${JSON.stringify(PARAMS.externalId)}`);
    expect(tf).toContain('default     = "111122223333"');
    expect(tf).toContain('max_session_duration = 3600');
    expect(terraformSnippet({})).not.toContain('default     = "111122223333"');
  });
});

describe('quickCreateUrl with the organization template’s parameters', () => {
  it('adds them after the trust parameters, encoded', () => {
    const url = quickCreateUrl({
      templateUrl: 'https://b.s3.amazonaws.com/prowler-scan-organization.yaml',
      region: 'us-east-1',
      stackName: 'ProwlerScanOrganization',
      params: { externalId: 'ext-1' },
      extra: [
        ['OrganizationalUnitIds', 'ou-ab12-cd34ef56,r-ab12'],
        ['CallAs', 'SELF'],
      ],
    });
    expect(url).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/quickcreate?' +
        'templateURL=https%3A%2F%2Fb.s3.amazonaws.com%2Fprowler-scan-organization.yaml&stackName=ProwlerScanOrganization' +
        '&param_ExternalId=ext-1&param_OrganizationalUnitIds=ou-ab12-cd34ef56%2Cr-ab12&param_CallAs=SELF',
    );
  });
});
