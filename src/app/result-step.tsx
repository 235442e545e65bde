import { lazy, Suspense, useState } from 'react';
import { Card } from '../components/ui/card.tsx';
import { Notice } from '../components/ui/notice.tsx';
import { severityOf } from '../domain/diagnosis/codes.ts';
import { ExportsPanel } from '../features/connect/result/exports-panel.tsx';
import { ProwlerPush } from '../features/connect/result/prowler-push.tsx';
import { RedeployFix } from '../features/connect/result/redeploy-fix.tsx';
import { ResultActions } from '../features/connect/result/result-actions.tsx';
import { SaveConnection } from '../features/connect/result/save-connection.tsx';
import { SuccessSummary } from '../features/connect/result/success-summary.tsx';
import type { StepProps } from '../features/connect/step-props.ts';
import { useAnswers } from '../features/connect/store/wizard-store.ts';
import { GuidancePanel } from '../features/troubleshoot/guidance-panel.tsx';
import { guidance } from './report-guidance.ts';
import { SLOTS } from './slots.tsx';

// Step 6 (issue 6): green with the summary and exports, or the guidance panel, the trust-chain
// picture and the simulator. The simulator loads only when opened.
const TrustSimulator = lazy(() =>
  import('../features/troubleshoot/trust-simulator.tsx').then((m) => ({ default: m.TrustSimulator })),
);

export function ResultStep({ config, goTo }: StepProps) {
  const { report } = useAnswers();
  const [simulating, setSimulating] = useState(false);
  if (!report) return null;
  const { diagnosis } = report;
  const primary = guidance(report, diagnosis.code, config);
  const more = report.findings.filter((code) => code !== diagnosis.code && severityOf(code) !== 'ok');
  const { TrustChain } = SLOTS;

  if (report.connected) {
    return (
      <div className="space-y-6">
        <Notice
          tone={report.ok ? 'success' : 'warning'}
          title={report.ok ? 'Connected' : 'Connected, with something to fix'}
        >
          <p>
            The scanner can assume <span className="break-all font-mono">{report.request.roleArn}</span>
            {report.ok ? ' and read this account.' : ', but read the warnings below.'}
          </p>
        </Notice>
        <Card>
          <SuccessSummary report={report} />
        </Card>
        {diagnosis.code !== 'OK' ? (
          <GuidancePanel
            guidance={primary}
            evidence={diagnosis.evidence}
            checks={report.checks}
            headingLevel={3}
            focusOnMount
          />
        ) : null}
        {more.map((code) => (
          <GuidancePanel
            key={code}
            guidance={guidance(report, code, config)}
            evidence={diagnosis.evidence}
            headingLevel={3}
          />
        ))}
        {config.sandbox ? <RedeployFix report={report} externalId={config.externalId} goTo={goTo} /> : null}
        <ExportsPanel report={report} />
        <SaveConnection config={config} />
        <ProwlerPush config={config} report={report} />
        <ResultActions goTo={goTo} connected />
      </div>
    );
  }

  const principalArn = report.caller?.principalArn ?? report.diagnosis.evidence.principalArn ?? '';
  return (
    <div className="space-y-6">
      <GuidancePanel
        guidance={primary}
        evidence={diagnosis.evidence}
        awsError={report.awsError}
        checks={report.checks}
        headingLevel={3}
        focusOnMount
      />
      {config.sandbox ? <RedeployFix report={report} externalId={config.externalId} goTo={goTo} /> : null}
      <Suspense fallback={<p className="text-sm">Drawing the trust chain…</p>}>
        {report.trust ? (
          <TrustChain
            evaluation={report.trust.evaluation}
            callerArn={report.caller?.arn ?? null}
            principalArn={principalArn}
            pathUnknown={report.caller?.pathUnknown ?? false}
            headingLevel={3}
          />
        ) : null}
      </Suspense>
      <details
        onToggle={(e) => setSimulating(e.currentTarget.open)}
        className="rounded-lg ring-1 ring-slate-300 dark:ring-slate-700"
      >
        <summary className="cursor-pointer rounded-lg p-4 font-semibold focus-visible:outline-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300">
          Check the role’s real trust policy
        </summary>
        <div className="px-4 pb-4">
          {simulating ? (
            <Suspense fallback={<p className="text-sm">Loading the simulator…</p>}>
              <TrustSimulator
                defaultPolicy={report.trust?.policy}
                principalArn={report.caller?.arn ?? principalArn}
                externalId={report.request.externalId}
                headingLevel={4}
              />
            </Suspense>
          ) : null}
        </div>
      </details>
      <SaveConnection config={config} />
      <ResultActions goTo={goTo} connected={false} />
    </div>
  );
}
