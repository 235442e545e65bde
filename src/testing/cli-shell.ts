import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The shell a test runs a CLI in (ours or the aws CLI): it reaches only the endpoint it is given.

export interface ShellKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/**
 * The caller's PATH, the test's own HOME, empty shared config and credentials files (written into
 * `dir`), no instance-metadata probe, us-east-1, and every AWS call sent to `endpoint`. Nothing
 * from the caller's own AWS setup leaks in; the default chain holds only what `keysEnv` adds.
 */
export function isolatedShell(dir: string, endpoint: string): Record<string, string> {
  const empty = join(dir, 'empty');
  if (!existsSync(empty)) writeFileSync(empty, '');
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: empty,
    AWS_SHARED_CREDENTIALS_FILE: empty,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
  };
}

/** The keys a shell's default credential chain holds, as the SDK and the aws CLI read them; none for null. */
export function keysEnv(keys: ShellKeys | null | undefined): Record<string, string> {
  if (!keys) return {};
  return {
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}),
  };
}
