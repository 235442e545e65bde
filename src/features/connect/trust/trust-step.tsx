import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import { trustSettingsSchema } from '../../../domain/inputs.ts';
import { partitionForRegion } from '../../../domain/regions.ts';
import { useKeepDrawing } from '../keep-drawing.ts';
import type { StepProps } from '../step-props.ts';
import { detectedApplied, originAfterEdit } from '../store/detected-trust.ts';
import { useAnswers, useServerError, wizardStore } from '../store/wizard-store.ts';
import { templateParamsFrom } from '../template/template-params.ts';
import { DeployedDrift } from './deployed-drift.tsx';
import { DetectedIdentity } from './detected-identity.tsx';
import { ExternalIdBox } from './external-id-box.tsx';
import { LiveCheck } from './live-check.tsx';
import { MappingTable } from './mapping-table.tsx';

export function TrustStep({ config, slots, next, back, survivesReload }: StepProps) {
  useKeepDrawing('trust', survivesReload);
  const answers = useAnswers();
  const { register, handleSubmit, watch, formState, setValue } = useForm({
    resolver: zodResolver(trustSettingsSchema),
    mode: 'onTouched',
    defaultValues: answers.trust,
  });
  useEffect(() => {
    const sub = watch((v, { name }) => {
      const trust = { trustedAccountId: v.trustedAccountId ?? '', iamPrincipal: v.iamPrincipal ?? '' };
      const now = wizardStore.getState().answers;
      const field = name === 'trustedAccountId' || name === 'iamPrincipal' ? name : null;
      wizardStore.update({
        trust,
        ...(field ? { trustOrigin: { [field]: originAfterEdit(now, field, trust[field]) } } : {}),
      });
      if (name) wizardStore.clearServerError(name);
    });
    return () => sub.unsubscribe();
  }, [watch]);
  const serverAccount = useServerError('trustedAccountId');
  const serverPrincipal = useServerError('iamPrincipal');
  const serverExternalId = useServerError('externalId');

  const { detected } = answers;
  const region = answers.template.region || config.region;
  function applyDetected() {
    if (!detected) return;
    // The origin first, so the form's change events below keep it "detected".
    wizardStore.update({ trustOrigin: { trustedAccountId: 'detected', iamPrincipal: 'detected' } });
    const opts = { shouldValidate: true, shouldDirty: true } as const;
    setValue('trustedAccountId', detected.suggestion.trustedAccountId, opts);
    setValue('iamPrincipal', detected.suggestion.iamPrincipal, opts);
  }
  const onSubmit = handleSubmit((values) => {
    wizardStore.update({ trust: values });
    next();
  });

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-6">
      <ExternalIdBox
        externalId={config.externalId}
        product={config.productName}
        prowler={config.prowler}
        error={serverExternalId}
      />
      <div className="space-y-2">
        <div className="grid gap-x-4 sm:grid-cols-2">
          <Field
            label="AccountId (trusted account)"
            hint="The 12-digit account the scanner’s identity lives in."
            error={formState.errors.trustedAccountId?.message ?? serverAccount}
          >
            {(control) => (
              <input
                {...control}
                data-kept
                {...register('trustedAccountId')}
                inputMode="numeric"
                autoComplete="off"
                className={INPUT}
              />
            )}
          </Field>
          <Field
            label="IAMPrincipal"
            hint="Which principals in that account may assume the role."
            error={formState.errors.iamPrincipal?.message ?? serverPrincipal}
          >
            {(control) => (
              <input
                {...control}
                data-kept
                {...register('iamPrincipal')}
                autoComplete="off"
                spellCheck={false}
                className={INPUT}
              />
            )}
          </Field>
        </div>
        {detected ? (
          <DetectedIdentity detected={detected} applied={detectedApplied(answers)} onApply={applyDetected} />
        ) : null}
      </div>
      <MappingTable />
      <LiveCheck
        detected={detected}
        trustedAccountId={answers.trust.trustedAccountId}
        iamPrincipal={answers.trust.iamPrincipal}
        externalId={config.externalId}
        partition={partitionForRegion(region)}
        TrustChain={slots.TrustChain}
      />
      {answers.deployed && config.sandbox ? (
        <DeployedDrift
          deployed={answers.deployed}
          params={templateParamsFrom(answers, config.externalId)}
          region={region}
          stackName={answers.template.stackName}
        />
      ) : null}
      <div className="flex flex-wrap justify-between gap-3">
        <Button variant="secondary" onClick={back}>
          Back
        </Button>
        <Button type="submit">Continue</Button>
      </div>
    </form>
  );
}
