import { isIP } from 'node:net';
import { hostname, type NetworkInterfaceInfo, networkInterfaces } from 'node:os';

// The names the server answers to (DNS-rebinding guard, issue 11): a page on a domain the
// attacker re-points at 127.0.0.1 reaches this server with the attacker's name in Host, and
// nothing else tells the two apart. The list is never empty and has no wildcard, whatever the
// bind address: docs/decisions/012-host-names-the-server-answers-to.md.

/** Always accepted: what a browser on this machine sends for the loopback URLs. */
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

/** What the machine calls itself, read when the server starts; tests give their own. */
export interface MachineNames {
  hostname: string;
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
}

export function thisMachine(): MachineNames {
  return { hostname: hostname(), interfaces: networkInterfaces() };
}

/**
 * The host part of a Host header or a configured name, in the one spelling a comparison needs:
 * lower case, IPv6 in brackets and compressed, the port dropped (WHATWG URL host parsing, the
 * parser browsers use). Null for anything that is not a bare host with an optional port.
 */
export function canonicalHost(value: string): string | null {
  const text = value.trim();
  // Name, address and port characters only: the URL parser would map some other characters onto
  // ASCII names, and would read "@", "/", "?" as other parts of a URL.
  if (!/^[A-Za-z0-9._:[\]-]+$/.test(text)) return null;
  // A bare IPv6 address (no brackets, so no port): "::1".
  const authority = isIP(text) === 6 ? `[${text}]` : text;
  let url: URL;
  try {
    url = new URL(`http://${authority}`);
  } catch {
    return null;
  }
  return url.hostname === '' ? null : url.hostname;
}

const WILDCARD_BINDS = new Set(['0.0.0.0', '[::]']);

function isLoopback(name: string): boolean {
  if (name === 'localhost' || name === '[::1]') return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(name)) return true;
  // IPv4-mapped IPv6, which the URL parser writes in hex: [::ffff:7f00:1] is 127.0.0.1.
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(name);
}

/** Every address of every interface, IPv6 in brackets; link-local zones cannot be in a Host. */
function interfaceAddresses(machine: MachineNames): string[] {
  const out: string[] = [];
  for (const list of Object.values(machine.interfaces)) {
    for (const info of list ?? []) {
      const name = canonicalHost(info.address);
      if (name) out.push(name);
    }
  }
  return out;
}

/**
 * Loopback names always; the bind address itself when it is a specific one; the machine's host
 * name and addresses when the server is bound beyond loopback; then the configured names.
 */
export function allowedHostNames(
  bindHost: string,
  configured: readonly string[],
  machine: MachineNames = thisMachine(),
): string[] {
  const names = new Set<string>(LOOPBACK_NAMES);
  const bind = canonicalHost(bindHost);
  if (bind && !WILDCARD_BINDS.has(bind)) names.add(bind);
  if (!bind || !isLoopback(bind)) {
    const own = canonicalHost(machine.hostname);
    if (own) names.add(own);
    for (const address of interfaceAddresses(machine)) names.add(address);
  }
  for (const name of configured) {
    const host = canonicalHost(name);
    if (host) names.add(host);
  }
  return [...names];
}
