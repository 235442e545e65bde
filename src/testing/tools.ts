import { spawnSync } from 'node:child_process';

// Integration tests lean on independent tools (moto_server, cfn-lint, the aws CLI).
// Locally a missing tool skips those tests with a clear reason; in CI
// (AWS_CONNECT_REQUIRE_TOOLS=1, set by .ci/run) it fails them instead.

const INSTALL_HINT = 'pip install "moto[server]" cfn-lint awscli';

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** True when the tool is present. When absent: throws under AWS_CONNECT_REQUIRE_TOOLS=1, else warns once and returns false. */
export function requireTool(name: 'moto_server' | 'cfn-lint' | 'aws'): boolean {
  if (hasTool(name)) return true;
  const message = `${name} is not installed: these integration tests need it (${INSTALL_HINT}).`;
  if (process.env.AWS_CONNECT_REQUIRE_TOOLS === '1') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return false;
}
