import { describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderOrganizationTemplate } from '../domain/template/organization-template.ts';
import { renderTemplate } from '../domain/template/role-template.ts';
import { runCli } from '../testing/cli-process.ts';
import { runTemplateCommand } from './template-command.ts';

// `aws-connect template` as a user runs it (the real binary): the output is the rendered template
// with the flags baked in; bad flags give exit 2 and one line on stderr.

const cli = (args: string[]) => runCli(['template', ...args]);

describe('aws-connect template (spawned)', () => {
  it('prints the YAML template with the defaults when given no flags', async () => {
    const r = await cli([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(renderTemplate({}, 'yaml'));
    const t = parseYaml(r.stdout);
    expect(t.Parameters.IAMPrincipal.Default).toBe('role/prowler*');
    expect(t.Parameters.ExternalId.Default).toBeUndefined();
    expect(t.Resources.ProwlerScanRole.Properties.RoleName).toBe('ProwlerScan');
  }, 30_000);

  it('bakes every flag in, as JSON', async () => {
    const r = await cli([
      '--external-id',
      'ext-7f3a9c2e1b5d8a04',
      '--trusted-account-id',
      '111122223333',
      '--iam-principal',
      'user/prowler-app',
      '--role-name',
      'ScanRole',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.Parameters.ExternalId.Default).toBe('ext-7f3a9c2e1b5d8a04');
    expect(t.Parameters.AccountId.Default).toBe('111122223333');
    expect(t.Parameters.IAMPrincipal.Default).toBe('user/prowler-app');
    expect(t.Resources.ProwlerScanRole.Properties.RoleName).toBe('ScanRole');
    expect(r.stdout).toBe(
      renderTemplate(
        {
          externalId: 'ext-7f3a9c2e1b5d8a04',
          trustedAccountId: '111122223333',
          iamPrincipal: 'user/prowler-app',
          roleName: 'ScanRole',
        },
        'json',
      ),
    );
  }, 30_000);

  it('refuses a bad account ID with exit 2 and one line', async () => {
    const r = await cli(['--trusted-account-id', '1111-2222-3333']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'aws-connect template: --trusted-account-id: An AWS account ID is exactly 12 digits, like 123456789012 (no dashes or spaces).\n',
    );
  }, 30_000);
});

describe('aws-connect template --organization (spawned)', () => {
  it('prints the organization template with the OUs and CallAs baked in', async () => {
    const args = [
      '--organization',
      '--ou',
      'ou-ab12-cd34ef56',
      '--ou',
      'r-ab12',
      '--call-as',
      'DELEGATED_ADMIN',
    ];
    const r = await cli([
      ...args,
      '--external-id',
      'ext-7f3a9c2e1b5d8a04',
      '--trusted-account-id',
      '111122223333',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      renderOrganizationTemplate(
        {
          externalId: 'ext-7f3a9c2e1b5d8a04',
          trustedAccountId: '111122223333',
          organizationalUnitIds: ['ou-ab12-cd34ef56', 'r-ab12'],
          callAs: 'DELEGATED_ADMIN',
        },
        'yaml',
      ),
    );
    const t = parseYaml(r.stdout);
    expect(t.Parameters.OrganizationalUnitIds.Default).toBe('ou-ab12-cd34ef56,r-ab12');
    expect(t.Parameters.CallAs.Default).toBe('DELEGATED_ADMIN');
    expect(t.Resources.ProwlerScanStackSet.Properties.PermissionModel).toBe('SERVICE_MANAGED');
  }, 30_000);
});

describe('runTemplateCommand with bad flags (in-process)', () => {
  it.each([
    [['--format', 'xml'], /--format is yaml or json/],
    [['--external-id', 'x'], /--external-id: The External ID is 2 to 1224/],
    [['--external-id', 'bad id'], /--external-id: The External ID may use/],
    // The server accepts only an External ID of 16 or more characters: a template with a shorter
    // one would deploy a role this installation can never verify.
    [
      ['--external-id', 'short'],
      /--external-id: The server accepts only an External ID of 16 characters or more/,
    ],
    [['--external-id', 'fifteen-chars-x'], /16 characters or more/],
    [
      ['--extrnal-id', 'x'],
      /^aws-connect template: Unknown option '--extrnal-id'\. Did you mean '--external-id'\?/,
    ],
    [['--iam-principal', 'group/admins'], /--iam-principal: The IAM principal is role/],
    [['--role-name', 'bad name!'], /--role-name: a role name is 1 to 64/],
    [['--role-name', ''], /--role-name/],
    [['--bogus'], /Unknown option '--bogus'\. Run/],
    [['--ou', 'ou-ab12-cd34ef56'], /--ou and --call-as need --organization/],
    [['--organization', '--ou', 'ou-1'], /--ou: An OU ID looks like ou-ab12-cd34ef56/],
    [['--organization', '--call-as', 'ADMIN'], /--call-as: CallAs is SELF .* or DELEGATED_ADMIN/],
    [['--organisation'], /Unknown option '--organisation'\. Did you mean '--organization'\?/],
    [['extra'], /positional|extra/i],
  ])('%j', async (argv, message) => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await runTemplateCommand(argv)).toBe(2);
      const text = err.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toMatch(message);
      expect(text.trimEnd().split('\n')).toHaveLength(1);
      expect(out).not.toHaveBeenCalled();
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });

  it('takes the External ID the server would take, and only that (one schema for both)', async () => {
    const { loadConfig } = await import('../server/config.ts');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const id of ['short', 'fifteen-chars-x', 'sixteen-chars-xy', 'a'.repeat(1224), 'a'.repeat(1225)]) {
        const server = (() => {
          try {
            return loadConfig({ AWS_CONNECT_EXTERNAL_ID: id }).externalId === id;
          } catch {
            return false;
          }
        })();
        expect((await runTemplateCommand(['--external-id', id])) === 0, id.slice(0, 20)).toBe(server);
      }
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('--help prints the options and exits 0', async () => {
    let text = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
      text += String(c);
      return true;
    });
    try {
      expect(await runTemplateCommand(['--help'])).toBe(0);
      expect(text).toMatch(/--trusted-account-id A/);
    } finally {
      out.mockRestore();
    }
  });
});
