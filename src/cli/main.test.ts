import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runDoctorCommand } from './doctor-command.ts';
import { main } from './main.ts';
import { runServeCommand } from './serve-command.ts';
import { runVerifyCommand } from './verify-command.ts';

// `aws-connect --help` should answer at once: it loads no command, so neither the AWS SDK
// (verify), Fastify nor React (serve). The probe lists the CommonJS modules the process loaded
// (those packages are CommonJS); `verify --help` is the control that shows the probe sees them.

const ROOT = join(import.meta.dirname, '..', '..');
const PROBE = `data:text/javascript,${encodeURIComponent(
  `import { createRequire } from 'node:module';
   const cache = createRequire(process.cwd() + '/').cache;
   process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(cache)) + '\\n'));`,
)}`;
const HEAVY = /node_modules[\\/](@aws-sdk[\\/][^\\/]+|react|react-dom|fastify)[\\/]/;

function loadedBy(args: string[]): string[] {
  const run = spawnSync(process.execPath, ['--import', PROBE, 'bin/aws-connect.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  const line = run.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no probe output: ${run.stderr}`);
  const heavy = (JSON.parse(line.slice('LOADED '.length)) as string[])
    .map((path) => HEAVY.exec(path)?.[1])
    .filter((name): name is string => Boolean(name));
  return [...new Set(heavy)].sort();
}

describe('what a command loads', () => {
  it('--help loads neither the AWS SDK, Fastify nor React', () => {
    expect(loadedBy(['--help'])).toEqual([]);
  }, 30_000);

  it('template loads none of them either', () => {
    expect(loadedBy(['template', '--help'])).toEqual([]);
  }, 30_000);

  it('verify loads the AWS SDK (the probe sees what a command loads)', () => {
    expect(loadedBy(['verify', '--help'])).toEqual(
      expect.arrayContaining(['@aws-sdk/client-sts', '@aws-sdk/credential-providers']),
    );
  }, 30_000);
});

async function captured(run: () => Promise<number>) {
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
    stderr += String(c);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await run(), stderr };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

describe('mistakes are named as the user typed them', () => {
  it('an unknown command gets the closest one', async () => {
    expect(await captured(() => main(['verfy']))).toEqual({
      code: 2,
      stderr: 'aws-connect: unknown command "verfy". Did you mean "verify"? Run "aws-connect --help".\n',
    });
  });

  it.each([
    [['--port', 'abc'], '--port "abc": A port is a whole number from 0 to 65535 (0 picks a free one).'],
    [['--port', '70000'], '--port "70000": A port is a whole number from 0 to 65535'],
    [['--host', 'a b'], '--host "a b": A listen address is'],
    [['--prot', '1'], "Unknown option '--prot'. Did you mean '--port'?"],
  ])('serve %j blames the flag, not the variable it overrides', async (args, message) => {
    const run = await captured(() => runServeCommand(args));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`aws-connect serve: ${message}`);
    expect(run.stderr).not.toMatch(/\bPORT=|\bHOST=/);
  });

  it.each([
    ['verify', ['--rolearn', 'x'], "Unknown option '--rolearn'. Did you mean '--role-arn'?"],
    ['verify', ['--extrnal-id=x'], "Unknown option '--extrnal-id'. Did you mean '--external-id'?"],
    ['doctor', ['--scaner-arn', 'x'], "Unknown option '--scaner-arn'. Did you mean '--scanner-arn'?"],
    ['doctor', ['--rolearn', 'x'], "Unknown option '--rolearn'. Did you mean '--role-arn'?"],
  ])('%s %j suggests the closest option, in one sentence, and exits 2', async (name, args, message) => {
    const run = name === 'verify' ? runVerifyCommand : runDoctorCommand;
    expect(await captured(() => run(args))).toEqual({
      code: 2,
      stderr: `aws-connect ${name}: ${message} Run "aws-connect ${name} --help".\n`,
    });
  });
});
