// Access keys for one verification: module memory only. Never in sessionStorage, localStorage,
// the URL or history state (issue 6, docs/design.md#security-rules). A reload forgets them.

export interface Secrets {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export const NO_SECRETS: Secrets = { accessKeyId: '', secretAccessKey: '', sessionToken: '' };

let secrets: Secrets = NO_SECRETS;

export function getSecrets(): Secrets {
  return secrets;
}

export function setSecrets(next: Partial<Secrets>): void {
  secrets = { ...secrets, ...next };
}

export function clearSecrets(): void {
  secrets = NO_SECRETS;
}
