import { describe, expect, it } from 'vitest';
import { loadProwlerSettings } from '../config.ts';
import { ProwlerClient } from './client.ts';
import { pushToProwler } from './push.ts';
import { prowlerTenantId } from './tenant.ts';

// Opt-in: against a real Prowler App when PROWLER_API_URL and PROWLER_API_KEY are set. It creates
// (or finds) the AWS provider PROWLER_LIVE_ACCOUNT_ID (default 123456789012) in that tenant, writes
// its role secret and runs the connection test; it leaves the provider there (pushing is idempotent).

const settings = loadProwlerSettings(process.env);
if (!settings) {
  console.info(
    'prowler live test skipped: set PROWLER_API_URL and PROWLER_API_KEY to run it against a real Prowler App.',
  );
}

describe.skipIf(!settings)('Prowler App, live', () => {
  it('reads the tenant, pushes a role, and follows the connection test to a verdict', async () => {
    const client = new ProwlerClient(settings!);
    const tenant = await prowlerTenantId(client);
    expect(tenant).toMatch(/^[0-9a-f-]{36}$/);
    const account = process.env.PROWLER_LIVE_ACCOUNT_ID ?? '123456789012';
    const roleArn = process.env.PROWLER_LIVE_ROLE_ARN ?? `arn:aws:iam::${account}:role/ProwlerScan`;
    const result = await pushToProwler({ roleArn, externalId: tenant, accountId: account }, { client });
    if (!result.pushed) throw new Error(result.failure.message);
    // Whatever Prowler answered, it was read: connected, or a text in our table.
    expect(result.prowler.connected || result.prowler.diagnosis !== null).toBe(true);
    console.info(`live push: ${JSON.stringify(result.prowler)}`);
  }, 180_000);
});
