import { Button } from '../../../components/ui/button.tsx';
import type { StepId } from '../step-props.ts';
import { wizardStore } from '../store/wizard-store.ts';

/** After a result: verify again, change an answer, or start over for another account. */
export function ResultActions({ goTo, connected }: { goTo: (id: StepId) => void; connected: boolean }) {
  return (
    <div className="flex flex-wrap gap-3">
      <Button
        variant={connected ? 'secondary' : 'primary'}
        onClick={() => {
          wizardStore.setAutoVerify('once');
          goTo('verify');
        }}
      >
        Verify again
      </Button>
      <Button variant="secondary" onClick={() => goTo('trust')}>
        Change trust settings
      </Button>
      <Button variant="secondary" onClick={() => goTo('role')}>
        Change role ARN
      </Button>
      <Button
        variant="secondary"
        onClick={() => {
          // Same scanner, same trust settings: only the target account's role changes.
          wizardStore.update({
            role: {
              roleArn: '',
              accountId: '',
              accountIdEdited: false,
              sessionName: '',
              durationSeconds: null,
            },
            report: null,
            deployed: null,
          });
          goTo('template');
        }}
      >
        Connect another account
      </Button>
    </div>
  );
}
