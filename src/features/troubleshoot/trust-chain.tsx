import { useId, useMemo } from 'react';
import { FOCUS_RING } from '../../components/ui/styles.ts';
import type { Evaluation } from '../../domain/trust/explanation.ts';
import { ChainLinkItem } from './chain-link-item.tsx';
import { Heading, type HeadingLevel, subLevel } from './heading.tsx';
import { StatusMark } from './status-mark.tsx';
import { type ChainLink, callerLink, type StatementChain, trustChainModel } from './trust-chain-model.ts';

// The trust-chain picture (docs/design.md#the-journey, step 6): caller -> Principal -> Action -> each condition,
// pass or fail, expected and actual side by side. An ordered list, not a canvas, so it reflows at
// 320 px and reads in order with a screen reader.

export interface TrustChainProps {
  evaluation: Evaluation;
  /** As GetCallerIdentity returned it (may be an sts assumed-role ARN); null when unknown. */
  callerArn?: string | null;
  /** The aws:PrincipalArn the policy was evaluated against. */
  principalArn: string;
  /** The caller is a role session whose path is invisible: show the role-path caveat. */
  pathUnknown?: boolean;
  headingLevel?: HeadingLevel;
  /** Defaults to "Trust chain". */
  title?: string;
}

/** A policy of hundreds of statements must not flood the page: the rest are counted, not drawn. */
const MAX_OTHER_STATEMENTS = 20;

function Links({ links, label }: { links: ChainLink[]; label: string }) {
  return (
    <ol aria-label={label} className="space-y-1">
      {links.map((link, i) => (
        <ChainLinkItem key={link.id} link={link} first={i === 0} />
      ))}
    </ol>
  );
}

function OtherStatements({ others, level }: { others: StatementChain[]; level: HeadingLevel }) {
  const hidden = others.length - MAX_OTHER_STATEMENTS;
  return (
    <details className="rounded-md border border-slate-300 dark:border-slate-600">
      <summary className={`cursor-pointer rounded-md px-3 py-2 font-medium ${FOCUS_RING}`}>
        Other statements in the policy ({others.length})
      </summary>
      <div className="space-y-4 px-3 pb-3">
        {others.slice(0, MAX_OTHER_STATEMENTS).map((s) => (
          <div key={s.index} className="space-y-2">
            <Heading level={level} className="font-semibold">
              {s.heading}
            </Heading>
            <p className="text-sm">{s.verdict}</p>
            <Links links={s.links} label={s.heading} />
          </div>
        ))}
        {hidden > 0 ? <p className="text-sm">…and {hidden} more statements, not drawn.</p> : null}
      </div>
    </details>
  );
}

export function TrustChain({
  evaluation,
  callerArn,
  principalArn,
  pathUnknown = false,
  headingLevel = 2,
  title = 'Trust chain',
}: TrustChainProps) {
  const titleId = useId();
  const model = useMemo(() => trustChainModel(evaluation), [evaluation]);
  const caller = callerLink({ callerArn, principalArn, pathUnknown });
  const allowed = model.decision === 'allow';
  const level = subLevel(headingLevel);

  return (
    <section
      aria-labelledby={titleId}
      data-troubleshoot="trust-chain"
      data-decision={model.decision}
      className="@container space-y-4 rounded-lg wrap-anywhere bg-white p-4 text-slate-900 ring-1 ring-slate-200 sm:p-6 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700"
    >
      <div className="flex flex-wrap items-center gap-3">
        <Heading level={headingLevel} id={titleId} className="text-lg font-semibold">
          {title}
        </Heading>
        <StatusMark tone={allowed ? 'pass' : 'fail'} text={allowed ? 'Allowed' : 'Denied'} />
      </div>
      <p>{model.summary}</p>

      {model.policyErrors.length > 0 ? (
        <div className="rounded-md border border-amber-700 bg-amber-50 p-3 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50">
          <Heading level={level} className="font-semibold">
            Problems in the policy document
          </Heading>
          <ul className="mt-1 ml-5 list-disc space-y-1 text-sm">
            {model.policyErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {model.primary ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {model.primary.heading}. {model.primary.verdict}
        </p>
      ) : null}
      <Links
        links={[caller, ...(model.primary?.links ?? [])]}
        label="Trust chain, from the caller to each condition"
      />

      {model.others.length > 0 ? <OtherStatements others={model.others} level={level} /> : null}
    </section>
  );
}
