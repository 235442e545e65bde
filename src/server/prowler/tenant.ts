import type { ProwlerClient } from './client.ts';
import { contractFailure, failureOf, PushFailed } from './failure.ts';
import { tenantListSchema } from './resources.ts';

// Prowler App and Prowler Cloud require the tenant ID as the External ID of the role they assume
// (docs/prowler-api.md), so with the integration on it is the one the wizard shows and bakes in.

/** `GET /tenants` → `data[0].id`; a PushFailed with a clear message otherwise. */
export async function prowlerTenantId(client: ProwlerClient): Promise<string> {
  const answer = await client.send({ method: 'GET', path: '/tenants' });
  if (!answer.answered) throw new PushFailed(failureOf(client, 'tenant', answer));
  if (answer.status !== 200) throw new PushFailed(failureOf(client, 'tenant', answer));
  const list = tenantListSchema.safeParse(answer.body);
  const id = list.success ? list.data.data[0]?.id : undefined;
  if (!id) throw new PushFailed(contractFailure(client, 'tenant', answer, 'the tenant list names no tenant'));
  return id;
}
