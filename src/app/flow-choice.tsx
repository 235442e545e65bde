import { LINK } from '../components/ui/styles.ts';

// One account, or a whole organization (issue 14): two plain links (a page load each way), the
// current one marked. Kept this small on purpose: it ships with the first screen (issue 7 budget).

/** `search` is the page's query string, the browser's or the one the server draws. */
export const isOrganizationFlow = (search: string) =>
  new URLSearchParams(search).get('flow') === 'organization';

export function FlowChoice({ organization }: { organization: boolean }) {
  return (
    <nav aria-label="What to connect" className="flex gap-4 text-sm">
      {(
        [
          ['/', 'One account', !organization],
          ['/?flow=organization', 'A whole organization', organization],
        ] as const
      ).map(([href, label, current]) => (
        <a
          key={href}
          href={href}
          aria-current={current ? 'page' : undefined}
          className={`${LINK} aria-[current=page]:font-bold`}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}
