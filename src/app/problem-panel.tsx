import { useQuery } from '@tanstack/react-query';
import { guidanceFor } from '../domain/diagnosis/guidance.ts';
import { configQuery } from '../features/connect/api/get-config.ts';
import type { ProblemSlotProps } from '../features/connect/step-props.ts';
import { GuidancePanel } from '../features/troubleshoot/guidance-panel.tsx';

/** Step 1's guidance when the source resolves to nothing or is refused (issue 2, part 3). */
export function ProblemPanel({ code, evidence, awsError, sourceKind, caller }: ProblemSlotProps) {
  const { data: config } = useQuery(configQuery);
  if (!config) return null;
  const guidance = guidanceFor(code, {
    flavour: config.flavour,
    productName: config.productName,
    sourceKind,
    evidence,
    awsError,
    caller: caller ?? null,
  });
  return <GuidancePanel guidance={guidance} evidence={evidence} awsError={awsError} headingLevel={3} />;
}
