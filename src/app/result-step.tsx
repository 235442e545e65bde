import { Suspense } from 'react';
import { Breakable } from '../components/ui/breakable.tsx';
import { Card } from '../components/ui/card.tsx';
import { Notice } from '../components/ui/notice.tsx';
import type { VerifyReport } from '../domain/diagnosis-contract.ts';
import { useKeepDrawing } from '../features/connect/keep-drawing.ts';
import { ExportsPanel } from '../features/connect/result/exports-panel.tsx';
import { ProwlerPush } from '../features/connect/result/prowler-push.tsx';
import { RedeployFix } from '../features/connect/result/redeploy-fix.tsx';
import { ResultActions } from '../features/connect/result/result-actions.tsx';
import { SaveConnection } from '../features/connect/result/save-connection.tsx';
import { SuccessSummary } from '../features/connect/result/success-summary.tsx';
import { useStoredReport } from '../features/connect/result/use-stored-report.ts';
import type { StepProps } from '../features/connect/step-props.ts';
import { CHAIN_FALLBACK } from '../features/connect/trust/chain-fallback.tsx';
import { GuidancePanel } from '../features/troubleshoot/guidance-panel.tsx';
import { DoctorSection, wantsDoctor } from './doctor-section.tsx';
import { SLOTS } from './slots.tsx';

// Step 6: green with the summary and exports, or the guidance panel. A cause AWS did not state is
// suspected: the panel ranks the candidates and offers the trust doctor, whose pasted output makes
// the headline the cause the role's real trust policy shows. The trust chain draws that policy
// (or, before evidence, the one the entered settings produce, and says so).

const CHAIN_TITLES: Record<NonNullable<VerifyReport['trust']>['basis'], string> = {
  'role-evidence': 'Trust chain of the role’s real trust policy',
  declared: 'Trust chain of the settings you entered (not the role’s real policy)',
};

export function ResultStep({ config, goTo, survivesReload }: StepProps) {
  useKeepDrawing('result', survivesReload);
  const report = useStoredReport();
  if (!report) return null;
  const { diagnosis } = report;
  // Rendered by the server with the one guidance builder (src/domain/diagnosis/guidance.ts).
  const primary = report.guidance;
  const more = report.findingsGuidance.filter((g) => g.severity !== 'ok');
  const { TrustChain } = SLOTS;
  const doctor = wantsDoctor(report) ? (
    <DoctorSection report={report} guidance={primary} externalId={config.externalId} />
  ) : null;

  if (report.connected) {
    return (
      <div className="space-y-6">
        <Notice
          tone={report.ok ? 'success' : 'warning'}
          title={report.ok ? 'Connected' : 'Connected, with something to fix'}
        >
          <p>
            The scanner can assume{' '}
            <span className="font-mono">
              <Breakable text={report.request.roleArn} />
            </span>
            {report.ok ? ' and read this account.' : ', but read the warnings below.'}
          </p>
        </Notice>
        <Card>
          <SuccessSummary report={report} />
        </Card>
        {diagnosis.code !== 'OK' ? (
          <GuidancePanel
            guidance={primary}
            facts={diagnosis.facts}
            checks={report.checks}
            headingLevel={3}
            focusOnMount
          >
            {doctor}
          </GuidancePanel>
        ) : null}
        {more.map((g) => (
          <GuidancePanel key={g.code} guidance={g} facts={diagnosis.facts} headingLevel={3} />
        ))}
        {config.sandbox ? <RedeployFix report={report} externalId={config.externalId} goTo={goTo} /> : null}
        <ExportsPanel report={report} />
        <SaveConnection config={config} />
        <ProwlerPush config={config} report={report} />
        <ResultActions goTo={goTo} connected />
      </div>
    );
  }

  const principalArn = report.caller?.principalArn ?? '';
  return (
    <div className="space-y-6">
      <GuidancePanel
        // A new report (after pasting evidence) is a new panel: focus moves to its headline.
        key={`${diagnosis.code}-${diagnosis.confidence}-${report.requestId}`}
        guidance={primary}
        facts={diagnosis.facts}
        candidates={diagnosis.candidates}
        awsError={report.awsError}
        checks={report.checks}
        headingLevel={3}
        focusOnMount
      >
        {doctor}
      </GuidancePanel>
      {config.sandbox ? <RedeployFix report={report} externalId={config.externalId} goTo={goTo} /> : null}
      <Suspense fallback={CHAIN_FALLBACK}>
        {report.trust ? (
          <TrustChain
            evaluation={report.trust.evaluation}
            callerArn={report.caller?.arn ?? null}
            principalArn={principalArn}
            pathUnknown={report.caller?.pathUnknown ?? false}
            headingLevel={3}
            title={CHAIN_TITLES[report.trust.basis]}
          />
        ) : null}
      </Suspense>
      <SaveConnection config={config} />
      <ResultActions goTo={goTo} connected={false} />
    </div>
  );
}
