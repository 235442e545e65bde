import { Button } from '../components/ui/button.tsx';
import type { ConnectionDetail } from '../domain/connection-contract.ts';
import { ProwlerPushPanel } from '../features/connect/result/prowler-push-panel.tsx';
import { useConnectionProwlerPush } from '../features/connections/api.ts';
import { ApiError } from '../lib/api-client.ts';

/**
 * "Push to Prowler" on a saved connection's page (issue 16), when the integration is on. A
 * connection whose last verification did not assume the role is refused (409) until the user asks
 * to push it anyway (docs/decisions/048).
 */
export function ConnectionProwlerPush({ detail }: { detail: ConnectionDetail }) {
  const push = useConnectionProwlerPush(detail.id);
  const notVerified = push.error instanceof ApiError && push.error.code === 'CONNECTION_NOT_VERIFIED';
  return (
    <ProwlerPushPanel
      busy={push.isPending}
      data={push.data}
      error={push.error}
      onPush={() => push.mutate(false)}
      oursLabel="This connection’s last saved verification"
      extra={
        notVerified ? (
          <Button variant="secondary" onClick={() => push.mutate(true)}>
            Push anyway
          </Button>
        ) : null
      }
    />
  );
}
