import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, type as osType, release, totalmem } from 'node:os';
import type { Machine } from '../results.ts';

/** The Chromium the page bench drives: CHROMIUM_PATH, then CHROME_PATH, then Debian's. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, process.env.CHROME_PATH, '/usr/bin/chromium'];
  return candidates.find((p): p is string => Boolean(p) && existsSync(p as string));
}

export function machine(): Machine {
  const list = cpus();
  const chrome = chromiumPath();
  const version = chrome
    ? spawnSync(chrome, ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout?.trim()
    : '';
  return {
    // availableParallelism() is what nproc prints (it honours CPU affinity).
    cpus: availableParallelism(),
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGb: totalmem() / 1e9,
    node: process.version,
    os: `${osType()} ${release()}`,
    ...(version ? { chromium: version } : {}),
  };
}
