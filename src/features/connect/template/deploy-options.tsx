import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { CodeBlock } from '../../../components/ui/code-block.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { LINK } from '../../../components/ui/styles.ts';
import { createStackCommand, quickCreateUrl, TEMPLATE_FILE_NAME } from '../../../domain/template/links.ts';
import type { TemplateParams } from '../../../domain/template/role-template.ts';
import { downloadTemplate } from './download-template.ts';

export interface DeployOptionsProps {
  params: Partial<TemplateParams>;
  region: string;
  stackName: string;
  templateUrl: string | null;
}

/** Download, console quick-create (only with a published S3 template URL) and the AWS CLI command. */
export function DeployOptions({ params, region, stackName, templateUrl }: DeployOptionsProps) {
  const [failure, setFailure] = useState<string | null>(null);
  const link = quickCreateUrl({ templateUrl, region, stackName, params });
  const save = (format: 'yaml' | 'json') => () =>
    downloadTemplate(
      params,
      format,
      format === 'yaml' ? TEMPLATE_FILE_NAME : TEMPLATE_FILE_NAME.replace(/\.yaml$/, '.json'),
    )
      .then(() => setFailure(null))
      .catch((error: unknown) => setFailure(String((error as Error).message ?? error)));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={save('yaml')}>Download template (YAML)</Button>
        <Button variant="secondary" onClick={save('json')}>
          JSON
        </Button>
        {link ? (
          <a
            href={link}
            target="_blank"
            rel="noreferrer noopener"
            className={`${LINK} text-sm font-semibold`}
          >
            Open quick-create in the AWS console
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        ) : null}
      </div>
      {failure ? (
        <Notice tone="error" title="The template could not be written" live transient>
          <p>{failure}</p>
        </Notice>
      ) : null}
      {link ? null : (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          No console quick-create link: the console only opens templates published on Amazon S3, and this
          installation has no template URL (AWS_CONNECT_TEMPLATE_URL). Download the template and create the
          stack in the console, or run:
        </p>
      )}
      <CodeBlock
        label="AWS CLI: create the stack"
        code={`# in the folder where you saved ${TEMPLATE_FILE_NAME}\n${createStackCommand({ region, stackName, params })}`}
      />
    </div>
  );
}
