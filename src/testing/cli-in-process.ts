import { vi } from 'vitest';

// The CLI's main() in the test's own process (a spawn costs seconds of CPU on two cores): stdout
// and stderr captured, and, when given, exactly `env` as the environment for the call.

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(
  run: () => Promise<number>,
  env?: Record<string, string | undefined>,
): Promise<InProcessRun> {
  const saved = process.env;
  if (env)
    process.env = Object.fromEntries(
      Object.entries(env).filter(([, v]) => v !== undefined),
    ) as NodeJS.ProcessEnv;
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await run(), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = saved;
  }
}
