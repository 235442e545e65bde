import { spawn } from 'node:child_process';
import type { ServerConfig } from './config.ts';

// `npm start` opens the wizard when a person started it at a desktop: the output is a terminal,
// it is not a CI job, the platform has a screen (on Linux and the BSDs a DISPLAY or
// WAYLAND_DISPLAY), and neither AWS_CONNECT_OPEN=0 nor --no-open said no. Anything else only
// prints the address. Failing to open is never an error: the address is printed anyway.

export interface OpenContext {
  config: Pick<ServerConfig, 'openBrowser'>;
  isTTY: boolean;
  platform: NodeJS.Platform;
  noOpen: boolean;
}

export function shouldOpenBrowser({ config, isTTY, platform, noOpen }: OpenContext): boolean {
  const { enabled, ci, display } = config.openBrowser;
  if (noOpen || !enabled || ci || !isTTY) return false;
  return platform === 'darwin' || platform === 'win32' || display;
}

/** The platform's "open this URL" command, given as arguments (no shell). */
export function openerFor(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // rundll32 takes the URL as one argument, where `cmd /c start` would re-parse it.
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  const [command, args] = openerFor(platform, url);
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this machine: the address is printed.
  }
}
