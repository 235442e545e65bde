import { spawnSync } from 'node:child_process';

// The Playwright suite's servers listen on ports free when the run starts, never on fixed ones: the
// machine is shared, and a fixed port someone else holds fails the whole run. Playwright evaluates
// its config in the runner and again in every worker, so the runner picks the ports once and leaves
// them in the environment, which the workers and the web servers inherit.

const NAMES = ['E2E_PORT', 'E2E_NO_CREDENTIALS_PORT', 'E2E_UNKNOWN_KEY_PORT'] as const;
type PortName = (typeof NAMES)[number];

/** `count` distinct ports that were free a moment ago (held open together, then released). */
export function freePortsSync(count: number): number[] {
  const script = `
    const net = require('node:net');
    const servers = Array.from({ length: ${count} }, () => net.createServer());
    let open = 0;
    for (const s of servers) s.listen(0, '127.0.0.1', () => {
      if (++open < servers.length) return;
      console.log(servers.map((x) => x.address().port).join(' '));
      for (const x of servers) x.close();
    });`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const ports = run.stdout.trim().split(' ').map(Number);
  if (run.status !== 0 || ports.length !== count || !ports.every((p) => p > 0)) {
    throw new Error(`could not find ${count} free ports: ${run.stderr}`);
  }
  return ports;
}

export function e2ePorts(env: NodeJS.ProcessEnv = process.env): Record<PortName, number> {
  if (!NAMES.every((name) => env[name])) {
    const ports = freePortsSync(NAMES.length);
    NAMES.forEach((name, i) => {
      env[name] = String(ports[i]);
    });
  }
  return Object.fromEntries(NAMES.map((name) => [name, Number(env[name])])) as Record<PortName, number>;
}
