import { useId, useState } from 'react';
import { Breakable } from '../../../components/ui/breakable.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import type { TemplateParams } from '../../../domain/template/role-template.ts';
import { useSandboxScenario } from '../api/sandbox-scenario.ts';
import { useDeployToSandbox } from './use-deploy-to-sandbox.ts';

export interface SandboxDeployProps {
  params: Partial<TemplateParams>;
  stackName: string;
}

/** Demo only: creates the stack in the embedded sandbox, with the parameters shown above. */
export function SandboxDeploy({ params, stackName }: SandboxDeployProps) {
  const scenario = useSandboxScenario();
  const { run, status } = useDeployToSandbox();
  const [target, setTarget] = useState('');
  const selectId = useId();
  const targets = scenario.data?.targets ?? [];
  const accountId = target || (targets.find((t) => t.roleArn === null) ?? targets[0])?.accountId || '';
  const missing = !params.trustedAccountId
    ? 'Set AccountId in Trust settings first (or detect it in step 1).'
    : null;

  return (
    <section
      aria-labelledby={`${selectId}-h`}
      className="space-y-3 rounded-lg border-2 border-dashed border-violet-700 p-4 dark:border-violet-300"
    >
      <h3 id={`${selectId}-h`} className="font-semibold">
        Sandbox demo: deploy the stack here
      </h3>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        This server runs on a local AWS stand-in. Deploying creates the role in a sandbox account with the
        parameters above; nothing reaches real AWS.
      </p>
      {scenario.isError ? (
        <Notice tone="error" title="Could not list the sandbox accounts" transient>
          {scenario.error.message}
        </Notice>
      ) : null}
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 basis-full sm:basis-0">
          <label htmlFor={selectId} className="block text-sm font-semibold">
            Sandbox account to deploy into
          </label>
          <select
            id={selectId}
            value={accountId}
            onChange={(e) => setTarget(e.target.value)}
            className={`${INPUT} mt-1 font-sans`}
          >
            {targets.map((t) => (
              <option key={t.accountId} value={t.accountId}>
                {t.accountId} · {t.label}
              </option>
            ))}
          </select>
        </div>
        <Button
          variant="secondary"
          busy={status.isPending}
          disabled={!accountId || Boolean(missing)}
          onClick={() => run(accountId, stackName, params).catch(() => undefined)}
        >
          Deploy to sandbox
        </Button>
      </div>
      {missing ? <p className="text-sm text-slate-700 dark:text-slate-300">{missing}</p> : null}
      {status.isError ? (
        <Notice tone="error" title="The sandbox refused the deployment" live transient>
          <p>{status.error.message}</p>
        </Notice>
      ) : null}
      {status.data ? (
        <Notice
          tone="success"
          title={status.data.updated ? 'Stack updated in the sandbox' : 'Stack created in the sandbox'}
          live
          transient
        >
          <p>
            Role ARN (the stack output RoleArn):{' '}
            <span className="font-mono">
              <Breakable text={status.data.roleArn} />
            </span>
            . It is filled in for step 4.
          </p>
        </Notice>
      ) : null}
    </section>
  );
}
