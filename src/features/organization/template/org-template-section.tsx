import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { CodeBlock } from '../../../components/ui/code-block.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { INPUT, LINK } from '../../../components/ui/styles.ts';
import type { ConfigResponse } from '../../../domain/api-contract.ts';
import { type CallAs, parentIdSchema } from '../../../domain/org-inputs.ts';
import { createStackCommand, quickCreateUrl } from '../../../domain/template/links.ts';
import {
  ORGANIZATION_TEMPLATE_FILE_NAME,
  renderOrganizationTemplate,
} from '../../../domain/template/organization-template.ts';
import { saveTextFile } from '../../../lib/save-file.ts';

// The organization template (issue 14): the role in the management account and the StackSet to the
// chosen OUs, with the same three ways to deploy it as the single-account template: the download,
// the AWS CLI command, and the console's quick-create link when a published copy is configured.

export const ORGANIZATION_STACK_NAME = 'ProwlerScanOrganization';

export interface TrustValues {
  trustedAccountId?: string;
  iamPrincipal?: string;
}

function ouError(text: string): string | undefined {
  for (const id of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const parsed = parentIdSchema.safeParse(id);
    if (!parsed.success) return `${id.slice(0, 40)}: ${parsed.error.issues[0]?.message ?? 'not an OU ID.'}`;
  }
  return undefined;
}

export function OrgTemplateSection({
  config,
  trust,
  roleName,
}: {
  config: ConfigResponse;
  trust: TrustValues;
  roleName: string;
}) {
  const [ous, setOus] = useState('');
  const [callAs, setCallAs] = useState<CallAs>('SELF');
  const error = ouError(ous);
  const organizationalUnitIds = ous
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const params = { externalId: config.externalId, ...trust, roleName };
  const render = (format: 'yaml' | 'json') =>
    renderOrganizationTemplate(
      { ...params, ...(organizationalUnitIds.length ? { organizationalUnitIds } : {}), callAs },
      format,
    );
  const link = error
    ? null
    : quickCreateUrl({
        templateUrl: config.organizationTemplateUrl,
        region: config.region,
        stackName: ORGANIZATION_STACK_NAME,
        params,
        extra: [
          ...(organizationalUnitIds.length
            ? ([['OrganizationalUnitIds', organizationalUnitIds.join(',')]] as [string, string][])
            : []),
          ['CallAs', callAs],
        ],
      });
  return (
    <div className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Target OUs"
          hint="OU IDs (ou-...) or the root ID (r-...), comma-separated: every account there, now and later."
          error={error}
        >
          {(control) => (
            <input
              {...control}
              className={INPUT}
              value={ous}
              onChange={(e) => setOus(e.currentTarget.value)}
              placeholder="ou-ab12-cd34ef56"
              spellCheck={false}
            />
          )}
        </Field>
        <Field
          label="The stack runs in"
          hint="A delegated administrator account for StackSets deploys the StackSet only; the management account then takes the single-account template."
        >
          {(control) => (
            <select
              {...control}
              className={INPUT}
              value={callAs}
              onChange={(e) => setCallAs(e.currentTarget.value as CallAs)}
            >
              <option value="SELF">the management account (SELF)</option>
              <option value="DELEGATED_ADMIN">a delegated administrator (DELEGATED_ADMIN)</option>
            </select>
          )}
        </Field>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          disabled={Boolean(error)}
          onClick={() => saveTextFile(ORGANIZATION_TEMPLATE_FILE_NAME, render('yaml'), 'application/yaml')}
        >
          Download {ORGANIZATION_TEMPLATE_FILE_NAME}
        </Button>
        {link ? (
          <a className={LINK} href={link} target="_blank" rel="noreferrer">
            Open quick-create in the AWS console
          </a>
        ) : null}
      </div>
      {!link && !error ? (
        <Notice>
          <p>
            The console's quick-create link needs the template published on Amazon S3
            (AWS_CONNECT_ORG_TEMPLATE_URL). Until then, download the template and deploy it with the command
            below.
          </p>
        </Notice>
      ) : null}
      <CodeBlock
        label="Deploy it from the management account with the AWS CLI"
        code={createStackCommand({
          region: config.region,
          stackName: ORGANIZATION_STACK_NAME,
          params,
          templateFile: ORGANIZATION_TEMPLATE_FILE_NAME,
        })}
      />
    </div>
  );
}
