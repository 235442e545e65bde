import type { ReactNode } from 'react';

// The panels are composed at different depths of the result step, so the caller picks the top level.
export type HeadingLevel = 2 | 3 | 4 | 5 | 6;

export function Heading({
  level,
  id,
  className,
  focusable,
  children,
}: {
  level: HeadingLevel;
  id?: string;
  className?: string;
  focusable?: boolean;
  children: ReactNode;
}) {
  const Tag = `h${level}` as const;
  return (
    <Tag id={id} className={className} tabIndex={focusable ? -1 : undefined}>
      {children}
    </Tag>
  );
}

export function subLevel(level: HeadingLevel): HeadingLevel {
  return Math.min(level + 1, 6) as HeadingLevel;
}
