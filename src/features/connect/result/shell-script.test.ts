import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellScript } from './shell-script.ts';

describe('shellScript (the downloaded prowler-scan.sh)', () => {
  it('has a shebang and one final newline, and runs as ./file', () => {
    const script = shellScript("echo 'scan' --role arn:aws:iam::222222222222:role/ProwlerScan");
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script.endsWith('\n')).toBe(true);
    expect(script.endsWith('\n\n')).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'aws-connect-script-'));
    try {
      const file = join(dir, 'prowler-scan.sh');
      writeFileSync(file, script);
      chmodSync(file, 0o755);
      expect(execFileSync(file, { encoding: 'utf8' })).toBe(
        'scan --role arn:aws:iam::222222222222:role/ProwlerScan\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
