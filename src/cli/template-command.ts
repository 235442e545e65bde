import { accountIdSchema, iamPrincipalSchema } from '../domain/inputs.ts';
import { callAsSchema, parentIdSchema } from '../domain/org-inputs.ts';
import { issuedExternalIdSchema } from '../domain/server-inputs.ts';
import {
  ORGANIZATION_TEMPLATE_FILE_NAME,
  type OrganizationTemplateParams,
  renderOrganizationTemplate,
} from '../domain/template/organization-template.ts';
import {
  DEFAULT_IAM_PRINCIPAL,
  DEFAULT_ROLE_NAME,
  ROLE_NAME_RE,
  renderTemplate,
  type TemplateParams,
} from '../domain/template/role-template.ts';
import { parseOptions, UsageError } from './parse-options.ts';

// `aws-connect template`: print the scan role's CloudFormation template with the given values
// baked in as parameter defaults (issue 3, "CLI"); with --organization, the organization template
// (issue 14). Exit 0, or 2 with one line on stderr.

const USAGE = `aws-connect template [options] > prowler-scan-role.yaml
aws-connect template --organization [--ou ID ...] [options] > ${ORGANIZATION_TEMPLATE_FILE_NAME}

Prints the scan role's CloudFormation template; values given become parameter defaults.
  --external-id ID           the External ID the scanner sends, 16 characters or more, as the
                             server issues it (omit: a required parameter)
  --trusted-account-id A     the 12-digit account the scanner identity lives in (omit: required)
  --iam-principal P          which principals there may assume the role (default ${DEFAULT_IAM_PRINCIPAL})
  --role-name N              the role's name (default ${DEFAULT_ROLE_NAME})
  --format yaml|json         output format (default yaml)
  --organization             the organization template instead: the role in the management account
                             and a service-managed StackSet that deploys it to the member accounts
  --ou ID                    with --organization: an OU (ou-...) or the root (r-...) to deploy to;
                             repeat for several (omit: a required parameter)
  --call-as SELF|DELEGATED_ADMIN
                             with --organization: where the stack runs (default SELF, the
                             management account)`;

function fail(message: string): number {
  process.stderr.write(`aws-connect template: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 2;
}

type Check = {
  safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { message: string }[] } };
};

function checked(flag: string, schema: Check, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`--${flag}: ${result.error?.issues[0]?.message ?? 'invalid value.'}`);
  return result.data as string;
}

export async function runTemplateCommand(argv: string[]): Promise<number> {
  try {
    const { values } = parseOptions(argv, {
      'external-id': { type: 'string' },
      'trusted-account-id': { type: 'string' },
      'iam-principal': { type: 'string' },
      'role-name': { type: 'string' },
      format: { type: 'string' },
      organization: { type: 'boolean' },
      ou: { type: 'string', multiple: true },
      'call-as': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const format = values.format ?? 'yaml';
    if (format !== 'yaml' && format !== 'json')
      throw new Error(`--format is yaml or json (got "${format.slice(0, 20)}").`);
    const params: Partial<TemplateParams> = {};
    // The server accepts only the External ID it issued or was configured with: the same schema.
    const externalId = checked('external-id', issuedExternalIdSchema, values['external-id']);
    const trustedAccountId = checked('trusted-account-id', accountIdSchema, values['trusted-account-id']);
    const iamPrincipal = checked('iam-principal', iamPrincipalSchema, values['iam-principal']);
    if (externalId !== undefined) params.externalId = externalId;
    if (trustedAccountId !== undefined) params.trustedAccountId = trustedAccountId;
    if (iamPrincipal !== undefined) params.iamPrincipal = iamPrincipal;
    const roleName = values['role-name']?.trim();
    if (roleName !== undefined) {
      if (!ROLE_NAME_RE.test(roleName)) {
        throw new Error(
          '--role-name: a role name is 1 to 64 characters of letters, digits and + = , . @ - _.',
        );
      }
      params.roleName = roleName;
    }
    if (!values.organization) {
      if (values.ou || values['call-as'] !== undefined)
        throw new Error('--ou and --call-as need --organization.');
      process.stdout.write(renderTemplate(params, format));
      return 0;
    }
    const org: OrganizationTemplateParams = { ...params };
    if (values.ou) org.organizationalUnitIds = values.ou.map((id) => checked('ou', parentIdSchema, id) ?? id);
    const callAs = checked('call-as', callAsSchema, values['call-as']);
    if (callAs !== undefined) org.callAs = callAs as OrganizationTemplateParams['callAs'];
    process.stdout.write(renderOrganizationTemplate(org, format));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} Run "aws-connect template --help".`);
    return fail((e as Error).message ?? String(e));
  }
}
