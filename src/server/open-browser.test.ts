import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { openerFor, shouldOpenBrowser } from './open-browser.ts';

// `npm start` opens the wizard only for a person at a desktop terminal; never in CI, from a pipe,
// on a machine without a display, or when turned off.

const desktop = { DISPLAY: ':0' };

describe('shouldOpenBrowser', () => {
  it.each([
    ['a desktop terminal on Linux', desktop, true, 'linux', false, true],
    ['Wayland', { WAYLAND_DISPLAY: 'wayland-0' }, true, 'linux', false, true],
    ['macOS needs no DISPLAY', {}, true, 'darwin', false, true],
    ['Windows needs no DISPLAY', {}, true, 'win32', false, true],
    ['Linux without a display (ssh, container)', {}, true, 'linux', false, false],
    ['not a terminal (piped, a service, a test)', desktop, false, 'linux', false, false],
    ['CI=true', { ...desktop, CI: 'true' }, true, 'linux', false, false],
    ['CI=1', { ...desktop, CI: '1' }, true, 'darwin', false, false],
    ['CI=false is not CI', { ...desktop, CI: 'false' }, true, 'linux', false, true],
    ['AWS_CONNECT_OPEN=0', { ...desktop, AWS_CONNECT_OPEN: '0' }, true, 'linux', false, false],
    ['--no-open', desktop, true, 'linux', true, false],
  ] as const)('%s', (_, env, isTTY, platform, noOpen, expected) => {
    const config = loadConfig(env);
    expect(shouldOpenBrowser({ config, isTTY, platform, noOpen })).toBe(expected);
  });

  it('AWS_CONNECT_OPEN takes 0 or 1 only', () => {
    expect(() => loadConfig({ AWS_CONNECT_OPEN: 'no' })).toThrow(/AWS_CONNECT_OPEN="no"/);
  });
});

describe('openerFor', () => {
  it.each([
    ['linux', ['xdg-open', ['http://127.0.0.1:8787']]],
    ['darwin', ['open', ['http://127.0.0.1:8787']]],
    ['win32', ['rundll32', ['url.dll,FileProtocolHandler', 'http://127.0.0.1:8787']]],
  ] as const)('%s', (platform, expected) => {
    expect(openerFor(platform, 'http://127.0.0.1:8787')).toEqual(expected);
  });
});
