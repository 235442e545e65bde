import { useEffect, useMemo } from 'react';
import { type VerifyReport, verifyReportSchema } from '../../../domain/diagnosis-contract.ts';
import { useAnswers, wizardStore } from '../store/wizard-store.ts';

/**
 * The kept report, parsed in full: the store checks only its shape on load, so the first screen
 * does not carry the report's schema (docs/decisions/041-first-screen-contract.md). One that does
 * not parse (an older version's, or edited by hand) is dropped, and the guard then sends the user
 * back to Verify.
 */
export function useStoredReport(): VerifyReport | null {
  const { report } = useAnswers();
  const parsed = useMemo(() => (report ? verifyReportSchema.safeParse(report) : null), [report]);
  const invalid = parsed !== null && !parsed.success;
  useEffect(() => {
    if (invalid) wizardStore.update({ report: null });
  }, [invalid]);
  return parsed?.success ? parsed.data : null;
}
