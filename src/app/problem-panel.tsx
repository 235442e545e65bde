import type { ProblemSlotProps } from '../features/connect/step-props.ts';
import { GuidancePanel } from '../features/troubleshoot/guidance-panel.tsx';

/** Step 1's guidance when the source resolves to nothing or is refused (issue 2, part 3). */
export function ProblemPanel({ guidance, facts, awsError }: ProblemSlotProps) {
  return <GuidancePanel guidance={guidance} facts={facts} awsError={awsError} headingLevel={3} />;
}
