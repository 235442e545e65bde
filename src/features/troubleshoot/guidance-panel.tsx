import { type ReactNode, useEffect, useId } from 'react';
import { FOCUS_RING, LINK } from '../../components/ui/styles.ts';
import type { AwsErrorInfo } from '../../domain/api-contract.ts';
import type { Candidate } from '../../domain/diagnosis/candidates.ts';
import type { Fact } from '../../domain/diagnosis/evidence.ts';
import type { Guidance } from '../../domain/diagnosis/guidance.ts';
import type { Check, VerifyReport } from '../../domain/diagnosis-contract.ts';
import { AwsErrorDetails } from './aws-error-details.tsx';
import { CandidatesList } from './candidates-list.tsx';
import { ChecksList } from './checks-list.tsx';
import { EvidenceList } from './evidence-list.tsx';
import { FixSteps } from './fix-steps.tsx';
import { CONFIDENCE_TEXT, SEVERITY_TEXT } from './guidance-model.ts';
import { Heading, type HeadingLevel, subLevel } from './heading.tsx';
import { StatusMark } from './status-mark.tsx';

// A failed verification is this panel, not a toast (docs/architecture.md#errors): title, severity and confidence, what happened,
// why, the candidates when AWS did not say (suspected), the numbered steps, the facts by where
// they came from, what we checked, and the raw AWS error folded away.

export interface GuidancePanelProps {
  guidance: Guidance;
  /** The report's facts; the keys in guidance.shows are drawn from them. */
  facts: readonly Fact[];
  /** A suspected cause's candidates, most likely first. */
  candidates?: readonly Candidate[];
  /** Shown after the steps (the role-evidence box of the trust doctor). */
  children?: ReactNode;
  awsError?: AwsErrorInfo | null;
  checks?: readonly Check[];
  /** The panel title's level in the page (default 2); sections use the next level. */
  headingLevel?: HeadingLevel;
  /** Move focus to the title when the panel appears, so screen readers start at the result. */
  focusOnMount?: boolean;
}

const TONE = { ok: 'pass', warning: 'warn', error: 'fail' } as const;
const FRAME = {
  ok: 'border-green-700 dark:border-green-400',
  warning: 'border-amber-700 dark:border-amber-400',
  error: 'border-red-700 dark:border-red-400',
} as const;
const SECTION = 'text-base font-semibold text-slate-900 dark:text-slate-50';

export function GuidancePanel({
  guidance,
  facts,
  candidates = [],
  children,
  awsError,
  checks = [],
  headingLevel = 2,
  focusOnMount = false,
}: GuidancePanelProps) {
  const titleId = useId();
  useEffect(() => {
    if (focusOnMount) document.getElementById(titleId)?.focus();
  }, [focusOnMount, titleId]);
  const level = subLevel(headingLevel);
  const hasFacts = facts.some((f) => guidance.shows.includes(f.key));

  return (
    <section
      aria-labelledby={titleId}
      data-troubleshoot="guidance"
      data-diagnosis={guidance.code}
      data-confidence={guidance.confidence}
      className={`@container space-y-5 rounded-lg wrap-anywhere border-l-4 bg-white p-4 text-slate-900 shadow-sm ring-1 ring-slate-200 sm:p-6 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700 ${FRAME[guidance.severity]}`}
    >
      <header className="flex flex-wrap items-center gap-3">
        <StatusMark tone={TONE[guidance.severity]} text={SEVERITY_TEXT[guidance.severity]} />
        {guidance.severity !== 'ok' ? (
          <span className="rounded-full px-2 py-0.5 text-sm font-medium ring-1 ring-slate-400 dark:ring-slate-500">
            {CONFIDENCE_TEXT[guidance.confidence]}
          </span>
        ) : null}
        <Heading
          level={headingLevel}
          id={titleId}
          focusable
          // Narrow: the title on its own full-width line under the badges, not squeezed beside them.
          className={`w-full min-w-0 text-xl font-semibold @xl:w-auto @xl:flex-1 ${FOCUS_RING}`}
        >
          {guidance.title}
        </Heading>
      </header>
      <p>{guidance.what}</p>

      {guidance.why.length > 0 ? (
        <div className="space-y-2">
          <Heading level={level} className={SECTION}>
            Why
          </Heading>
          <ul className="ml-6 list-disc space-y-1">
            {guidance.why.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {candidates.length > 0 ? (
        <div className="space-y-2">
          <Heading level={level} className={SECTION}>
            Possible causes, most likely first
          </Heading>
          <CandidatesList candidates={candidates} />
        </div>
      ) : null}

      {guidance.steps.length > 0 ? (
        <div className="space-y-2">
          <Heading level={level} className={SECTION}>
            {guidance.confidence === 'suspected' ? 'How to know for sure' : 'How to fix it'}
          </Heading>
          <FixSteps steps={guidance.steps} />
        </div>
      ) : null}

      {children}

      {hasFacts ? <EvidenceList shows={guidance.shows} facts={facts} level={level} /> : null}

      {checks.length > 0 ? (
        <div className="space-y-2">
          <Heading level={level} className={SECTION}>
            What we checked
          </Heading>
          <ChecksList checks={checks} />
        </div>
      ) : null}

      {guidance.learnMore && guidance.learnMore.length > 0 ? (
        <div className="space-y-2">
          <Heading level={level} className={SECTION}>
            Learn more
          </Heading>
          <ul className="ml-6 list-disc space-y-1">
            {guidance.learnMore.map((link) => (
              <li key={link.url}>
                <a href={link.url} target="_blank" rel="noreferrer noopener" className={LINK}>
                  {link.label}
                  <span className="sr-only"> (opens in a new tab)</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {awsError ? <AwsErrorDetails awsError={awsError} /> : null}
    </section>
  );
}

/** The panel of a saved or bulk-verified report: its own guidance, facts, candidates, error and checks. */
export function ReportGuidancePanel({
  report,
  headingLevel,
}: {
  report: VerifyReport;
  headingLevel: HeadingLevel;
}) {
  return (
    <GuidancePanel
      guidance={report.guidance}
      facts={report.diagnosis.facts}
      candidates={report.diagnosis.candidates}
      awsError={report.awsError}
      checks={report.checks}
      headingLevel={headingLevel}
    />
  );
}
