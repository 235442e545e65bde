import { existsSync } from 'node:fs';

// The one Chromium launch configuration of the e2e suite (playwright.config.ts) and the page
// bench (bench/page.ts, bench/page-drive.ts). Callers add their own extras (headless mode).

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * CHROMIUM_PATH, else Debian's Chromium where it exists (`npx playwright install` cannot download
 * on these machines), else undefined so Playwright uses its own browser.
 */
export function chromiumExecutablePath(): string | undefined {
  return process.env.CHROMIUM_PATH || (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
}

export const CHROMIUM_FLAGS: readonly string[] = [
  // The machines run as root, and Chromium refuses to start its sandbox as root.
  '--no-sandbox',
  // No GPU in these containers: software rendering from the start.
  '--disable-gpu',
  // The network is closed: Chromium's own calls home (field trials, component updates, sync)
  // are refused, and their failures and retries only add noise and time to a run.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // No first-run import or welcome page in a fresh profile.
  '--no-first-run',
  // Nothing here speaks HTTP/3: no QUIC attempts on the closed network either.
  '--disable-quic',
];
