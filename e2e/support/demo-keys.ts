import { readFileSync } from 'node:fs';
import type { Keys } from './wizard.ts';

// The demo scenario's fake, sandbox-only keys (src/sandbox/scenarios/demo.json), looked up by ID so
// the specs follow the scenario instead of copying its secrets.

interface KeyEntry {
  id: string;
  secret: string;
  token?: string;
}

function collect(node: unknown, out: KeyEntry[]) {
  if (Array.isArray(node)) for (const item of node) collect(item, out);
  else if (node && typeof node === 'object') {
    const entry = node as Record<string, unknown>;
    if (typeof entry.id === 'string' && typeof entry.secret === 'string') {
      out.push({
        id: entry.id,
        secret: entry.secret,
        token: typeof entry.token === 'string' ? entry.token : undefined,
      });
    }
    for (const value of Object.values(entry)) collect(value, out);
  }
}

const entries: KeyEntry[] = [];
collect(JSON.parse(readFileSync('src/sandbox/scenarios/demo.json', 'utf8')), entries);

export function demoKeys(accessKeyId: string): Keys {
  const entry = entries.find((e) => e.id === accessKeyId);
  if (!entry) throw new Error(`demo.json has no key ${accessKeyId}`);
  return {
    accessKeyId: entry.id,
    secretAccessKey: entry.secret,
    ...(entry.token ? { sessionToken: entry.token } : {}),
  };
}

/** The scanner's own key (user/prowler-app in 111111111111). */
export const SCANNER_KEY_ID = 'AKIASANDBOXSCANNER01';
