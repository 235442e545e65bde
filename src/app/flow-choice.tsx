import { LINK } from '../components/ui/styles.ts';

// The header's one navigation (issue 17): one account, a whole organization (issue 14), or the
// saved connections (issue 13), the current page marked. One list, because two navigations side by
// side read as a repeat. Plain links (a page load each way), kept this small on purpose: it ships
// with the first screen (the bundle budget).

/** `search` is the page's query string, the browser's or the one the server draws. */
export const isOrganizationFlow = (search: string) =>
  new URLSearchParams(search).get('flow') === 'organization';

const PAGES = [
  ['/', 'One account'],
  ['/?flow=organization', 'A whole organization'],
  ['/connections', 'Connections'],
] as const;

/** `current`: the address of the page shown, one of PAGES. */
export function FlowChoice({ current }: { current: string }) {
  return (
    <nav aria-label="Pages" className="flex flex-wrap gap-x-4 text-sm">
      {PAGES.map(([href, label]) => (
        <a
          key={href}
          href={href}
          aria-current={href === current ? 'page' : undefined}
          className={`${LINK} aria-[current=page]:font-bold`}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}
