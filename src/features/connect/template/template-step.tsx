import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import { ALL_REGIONS, partitionForRegion } from '../../../domain/regions.ts';
import { MANAGED_POLICY_NAMES } from '../../../domain/template/role-template.ts';
import { prefetchSandboxScenario } from '../api/sandbox-scenario.ts';
import { useKeepDrawing } from '../keep-drawing.ts';
import type { FirstScreenData, StepProps } from '../step-props.ts';
import { templateFormSchema } from '../step-schemas.ts';
import { useAnswers, wizardStore } from '../store/wizard-store.ts';
import { DataReads } from './data-reads.tsx';
import { DeployOptions } from './deploy-options.tsx';
import { DetectedMismatch } from './detected-mismatch.tsx';
import { ParameterTable } from './parameter-table.tsx';
import { SandboxDeploy } from './sandbox-deploy.tsx';
import { templateParamsFrom } from './template-params.ts';

/** The sandbox's accounts, which the demo box lists. */
export const firstScreenData: FirstScreenData = prefetchSandboxScenario;

export function TemplateStep({ config, next, back, survivesReload }: StepProps) {
  useKeepDrawing('template', survivesReload);
  const answers = useAnswers();
  const { register, handleSubmit, watch, formState } = useForm({
    resolver: zodResolver(templateFormSchema),
    mode: 'onTouched',
    defaultValues: {
      region: answers.template.region || config.region,
      stackName: answers.template.stackName,
    },
  });
  useEffect(() => {
    const sub = watch((v) =>
      wizardStore.update({ template: { region: v.region ?? '', stackName: v.stackName ?? '' } }),
    );
    return () => sub.unsubscribe();
  }, [watch]);

  const params = templateParamsFrom(answers, config.externalId);
  const region = watch('region');
  const stackName = watch('stackName');
  const onSubmit = handleSubmit((values) => {
    wizardStore.update({ template: { ...values, reviewed: true } });
    next();
  });

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-6">
      <p>
        Create an IAM role in the account you want to scan. The template makes a role named{' '}
        <code>ProwlerScan</code> with the AWS managed policies {MANAGED_POLICY_NAMES.join(' and ')} plus a
        small read-only additions policy, trusted only by the identity and External ID below.
      </p>
      <ParameterTable params={params} origin={answers.trustOrigin} />
      <DetectedMismatch
        answers={answers}
        externalId={config.externalId}
        partition={partitionForRegion(region || config.region)}
      />
      <p className="text-sm text-slate-700 dark:text-slate-300">
        You can review AccountId and IAMPrincipal in the next step, Trust settings. Change them before you
        deploy; after, the next step gives you the update command.
      </p>
      <DataReads />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <Field
          label="Region"
          hint="Where the stack is created; IAM roles are global."
          error={formState.errors.region?.message}
        >
          {(control) => (
            <>
              <input
                {...control}
                data-kept
                {...register('region')}
                list="aws-regions"
                autoComplete="off"
                spellCheck={false}
                className={INPUT}
              />
              <datalist id="aws-regions">
                {ALL_REGIONS.map((r) => (
                  <option key={r} value={r} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          label="Stack name"
          hint="Any name; the role keeps its own."
          error={formState.errors.stackName?.message}
        >
          {(control) => (
            <input
              {...control}
              data-kept
              {...register('stackName')}
              autoComplete="off"
              spellCheck={false}
              className={INPUT}
            />
          )}
        </Field>
      </div>
      <DeployOptions params={params} region={region} stackName={stackName} templateUrl={config.templateUrl} />
      <ul className="ml-5 list-disc space-y-1 text-sm">
        <li>
          In the console, tick{' '}
          <strong>
            “I acknowledge that AWS CloudFormation might create IAM resources with custom names”
          </strong>{' '}
          (the CLI command passes <code>CAPABILITY_NAMED_IAM</code> for you).
        </li>
        <li>
          When the stack reaches <code>CREATE_COMPLETE</code>, its <strong>Outputs</strong> tab shows{' '}
          <code>RoleArn</code>: you paste it in step 4.
        </li>
      </ul>
      {config.sandbox ? <SandboxDeploy params={params} stackName={stackName} /> : null}
      <div className="flex flex-wrap justify-between gap-3">
        <Button variant="secondary" onClick={back}>
          Back
        </Button>
        <Button type="submit">Continue</Button>
      </div>
    </form>
  );
}
