import { fieldErrorsFrom } from '../domain/field-errors.ts';
import { type Discovery, discoverRequestSchema } from '../domain/org-contract.ts';
import { organizationTree, type UnitNode } from '../domain/org-tree.ts';
import { discoverOrganization } from '../server/org/discover.ts';
import { destroyAgents } from '../server/verify/aws-clients.ts';
import { shellDeps } from './org-shell-deps.ts';
import { parseOptions, UsageError } from './parse-options.ts';
import { formatReport } from './verify-command.ts';

// `aws-connect org discover`: assume the management (or delegated administrator) role and print
// the organization's OUs with their ACTIVE accounts. Exit 0 read, 1 refused, 2 bad input.

const USAGE = `aws-connect org discover --role-arn ARN --external-id ID [--json]

Assumes the role with this shell's AWS credentials and reads the organization (Organizations
DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent).
  --role-arn ARN            a role in the management account or a delegated administrator
  --external-id ID          the External ID its stack was deployed with
  --trusted-account-id A    the stack's AccountId (explains a refusal precisely)
  --iam-principal P         the stack's IAMPrincipal (idem)
  --json                    print the discovery as one JSON object
Exit status: 0 read, 1 AWS refused (the reason is printed), 2 bad input.`;

const FLAG_OF: Record<string, string> = {
  roleArn: '--role-arn',
  externalId: '--external-id',
  trustedAccountId: '--trusted-account-id',
  iamPrincipal: '--iam-principal',
};

function fail(message: string): number {
  process.stderr.write(`aws-connect org discover: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 2;
}

function treeLines(nodes: readonly UnitNode[], prefix = ''): string[] {
  const out: string[] = [];
  for (const [i, node] of nodes.entries()) {
    const last = i === nodes.length - 1;
    const count = node.accounts.length;
    out.push(
      `${prefix}${last ? '└─ ' : '├─ '}${node.unit.id}  ${node.unit.name}${count ? `  (${count} account${count === 1 ? '' : 's'})` : ''}`,
    );
    const inner = `${prefix}${last ? '   ' : '│  '}`;
    const items = [...node.accounts.map((a) => `${a.accountId}  ${a.name}`)];
    for (const [j, line] of items.entries()) {
      const lastItem = j === items.length - 1 && node.children.length === 0;
      out.push(`${inner}${lastItem ? '└─ ' : '├─ '}${line}`);
    }
    out.push(...treeLines(node.children, inner));
  }
  return out;
}

export function formatDiscovery(d: Discovery): string {
  const from = d.delegatedAdministrator ? 'a delegated administrator' : 'the management account';
  const lines = [
    `Organization ${d.organization.id}, management account ${d.organization.managementAccountId}; read from ${d.callerAccountId} (${from}).`,
    '',
    ...treeLines(organizationTree(d)).map((l) => l.replace(/^[├└]─ /, '')),
    '',
    `${d.accounts.length} ACTIVE account${d.accounts.length === 1 ? '' : 's'} in ${d.units.filter((u) => u.kind === 'ou').length} OUs (${d.calls} Organizations calls).`,
  ];
  if (d.inactiveAccounts.length > 0) {
    lines.push(
      `Not listed above, not ACTIVE (a role there cannot be assumed): ${d.inactiveAccounts.map((a) => `${a.accountId} ${a.state}`).join(', ')}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runOrgDiscoverCommand(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseOptions(argv, {
      'role-arn': { type: 'string' },
      'external-id': { type: 'string' },
      'trusted-account-id': { type: 'string' },
      'iam-principal': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    }).values;
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} Run "aws-connect org discover --help".`);
    throw e;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values['role-arn'] || !values['external-id'])
    return fail('--role-arn and --external-id are required. Run "aws-connect org discover --help".');
  const request = discoverRequestSchema.safeParse({
    roleArn: values['role-arn'],
    externalId: values['external-id'],
    ...(values['trusted-account-id'] ? { trustedAccountId: values['trusted-account-id'] } : {}),
    ...(values['iam-principal'] ? { iamPrincipal: values['iam-principal'] } : {}),
  });
  if (!request.success) {
    const first = fieldErrorsFrom(request.error)[0];
    return fail(
      `${FLAG_OF[first?.path ?? ''] ?? first?.path ?? 'input'}: ${first?.message ?? 'invalid value.'}`,
    );
  }
  const shell = await shellDeps({ save: false, stderr: process.stderr });
  if ('error' in shell) return fail(shell.error);
  try {
    const result = await discoverOrganization(request.data, shell.deps.verify);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else if (result.ok) {
      process.stdout.write(formatDiscovery(result.discovery));
    } else {
      process.stdout.write(`Not read: ${result.failure.code}\n  ${result.failure.message}\n`);
      if (result.failure.report) process.stdout.write(`\n${formatReport(result.failure.report)}`);
    }
    return result.ok ? 0 : 1;
  } finally {
    destroyAgents(shell.agents);
  }
}
