import { Notice } from '../components/ui/notice.tsx';
import type { ConfigResponse, VerifyReport } from '../domain/api-contract.ts';
import { guidanceFor } from '../domain/diagnosis/guidance.ts';
import type { AccountEvent, DiscoveryFailure } from '../domain/org-contract.ts';
import { OrganizationFlow } from '../features/organization/organization-flow.tsx';
import { GuidancePanel } from '../features/troubleshoot/guidance-panel.tsx';

// The organization flow (issue 14), with the troubleshooting feature's guidance panel for each
// account: the app composes the two features, which do not import each other.

function Guidance({ report, config }: { report: VerifyReport; config: ConfigResponse }) {
  const guidance = guidanceFor(report.diagnosis.code, {
    flavour: config.flavour,
    productName: config.productName,
    sourceKind: report.request.sourceKind,
    evidence: report.diagnosis.evidence,
    request: report.request,
    caller: report.caller,
    awsError: report.awsError,
  });
  return (
    <GuidancePanel
      guidance={guidance}
      evidence={report.diagnosis.evidence}
      awsError={report.awsError}
      checks={report.checks}
      headingLevel={4}
    />
  );
}

export function OrganizationPage({ config }: { config: ConfigResponse }) {
  const details = (event: AccountEvent) =>
    event.report ? (
      <Guidance report={event.report} config={config} />
    ) : (
      <Notice tone="warning" title="No result within the per-account timeout">
        <p>
          AWS did not answer this account's verification in time (AWS_CONNECT_ORG_ACCOUNT_TIMEOUT_MS); nothing
          was saved. Verify it again.
        </p>
      </Notice>
    );
  const failure = (f: DiscoveryFailure) => (f.report ? <Guidance report={f.report} config={config} /> : null);
  return <OrganizationFlow config={config} renderDetails={details} renderFailure={failure} />;
}
