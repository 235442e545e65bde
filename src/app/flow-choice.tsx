import { LINK } from '../components/ui/styles.ts';

// The header's one navigation (issue 17): one account, a whole organization (issue 14), or the
// saved connections (issue 13), the current page marked. One list, because two navigations side by
// side read as a repeat. Plain links (a page load each way), kept this small on purpose: it ships
// with the first screen (the bundle budget).

export type Page = 'account' | 'organization' | 'connections';

export const isOrganizationFlow = () =>
  typeof window !== 'undefined' && new URLSearchParams(window.location.search).get('flow') === 'organization';

const PAGES = [
  ['account', '/', 'One account'],
  ['organization', '/?flow=organization', 'A whole organization'],
  ['connections', '/connections', 'Connections'],
] as const;

export function FlowChoice({ current }: { current: Page }) {
  return (
    <nav aria-label="Pages" className="flex flex-wrap gap-x-4 text-sm">
      {PAGES.map(([page, href, label]) => (
        <a
          key={page}
          href={href}
          aria-current={page === current ? 'page' : undefined}
          className={`${LINK} aria-[current=page]:font-bold`}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}
