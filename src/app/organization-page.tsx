import { Notice } from '../components/ui/notice.tsx';
import type { ConfigResponse } from '../domain/api-contract.ts';
import type { AccountEvent, DiscoveryFailure } from '../domain/org-contract.ts';
import { OrganizationFlow } from '../features/organization/organization-flow.tsx';
import { ReportGuidancePanel } from '../features/troubleshoot/guidance-panel.tsx';

// The organization flow (issue 14), with the troubleshooting feature's guidance panel for each
// account: the app composes the two features, which do not import each other. The server
// rendered each account's guidance with its report (src/domain/diagnosis/guidance.ts).

export function OrganizationPage({ config }: { config: ConfigResponse }) {
  const details = (event: AccountEvent) =>
    event.report ? (
      <ReportGuidancePanel report={event.report} headingLevel={4} />
    ) : (
      <Notice tone="warning" title="No result within the per-account timeout">
        <p>
          AWS did not answer this account's verification in time (AWS_CONNECT_ORG_ACCOUNT_TIMEOUT_MS); nothing
          was saved. Verify it again.
        </p>
      </Notice>
    );
  const failure = (f: DiscoveryFailure) =>
    f.report ? <ReportGuidancePanel report={f.report} headingLevel={4} /> : null;
  return <OrganizationFlow config={config} renderDetails={details} renderFailure={failure} />;
}
