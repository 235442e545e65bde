/** A time as people read it, in UTC so the server and the browser draw the same text. */
export function when(iso: string | null): string {
  if (!iso) return 'never';
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
