import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { e2ePorts, freePortsSync } from './e2e-ports.ts';

// The Playwright servers' ports are found free at the start of a run, once, and then inherited.

describe('e2e ports', () => {
  it('are distinct and free', async () => {
    const ports = freePortsSync(3);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('are chosen once: a second evaluation (a Playwright worker) reuses them from the environment', () => {
    const env: NodeJS.ProcessEnv = {};
    const first = e2ePorts(env);
    expect(env.E2E_PORT).toBe(String(first.E2E_PORT));
    expect(e2ePorts(env)).toEqual(first);
    expect(new Set(Object.values(first)).size).toBe(3);
  });
});
