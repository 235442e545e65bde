import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issuedExternalIdSchema } from '../domain/server-inputs.ts';

// The External ID is the confused-deputy guard (docs/design.md#security-rules): one value per
// installation, unguessable (128 random bits), stable across restarts so deployed stacks keep working.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html

export const EXTERNAL_ID_FILE = 'external-id';

export function newExternalId(): string {
  return randomBytes(16).toString('hex');
}

export interface IssuedExternalId {
  externalId: string;
  source: 'configuration' | 'data-dir' | 'new' | 'prowler-tenant';
  path?: string;
}

export class ExternalIdConflict extends Error {
  override name = 'ExternalIdConflict';
}

/**
 * With the Prowler App integration on, the External ID is the Prowler tenant ID: Prowler assumes
 * the role with it, so a role deployed with any other value would verify here and fail there
 * (docs/decisions/038). A configured value that differs is refused rather than silently dropped.
 */
export async function resolveExternalId(opts: {
  dataDir: string;
  configured?: string;
  prowlerTenant?: () => Promise<string>;
}): Promise<IssuedExternalId> {
  if (!opts.prowlerTenant) return issueExternalId(opts);
  const tenant = await opts.prowlerTenant();
  const parsed = issuedExternalIdSchema.safeParse(tenant);
  if (!parsed.success) {
    throw new ExternalIdConflict(
      `The Prowler tenant ID ${JSON.stringify(tenant.slice(0, 80))} cannot be an External ID: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  if (opts.configured && opts.configured !== parsed.data) {
    throw new ExternalIdConflict(
      `AWS_CONNECT_EXTERNAL_ID is set, but with the Prowler App integration on the External ID is the Prowler tenant ID (${parsed.data}): unset AWS_CONNECT_EXTERNAL_ID, or redeploy your roles with the tenant ID.`,
    );
  }
  return { externalId: parsed.data, source: 'prowler-tenant' };
}

/** The configured value, else the one in the data directory, else a new one written there with mode 0600. */
export async function issueExternalId(opts: {
  dataDir: string;
  configured?: string;
}): Promise<IssuedExternalId> {
  if (opts.configured) return { externalId: opts.configured, source: 'configuration' };
  const path = join(opts.dataDir, EXTERNAL_ID_FILE);
  const existing = await readFile(path, 'utf8').then(
    (text) => text.trim(),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    },
  );
  if (existing !== null) {
    const parsed = issuedExternalIdSchema.safeParse(existing);
    if (!parsed.success) {
      throw new Error(`${path} does not hold a valid External ID; delete it to issue a new one.`);
    }
    return { externalId: parsed.data, source: 'data-dir', path };
  }
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const externalId = newExternalId();
  // flag 'wx': two servers starting on one data dir must not overwrite each other's value.
  try {
    await writeFile(path, `${externalId}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return issueExternalId(opts);
    throw err;
  }
  await chmod(path, 0o600);
  return { externalId, source: 'new', path };
}
