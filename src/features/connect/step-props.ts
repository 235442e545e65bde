import type { QueryClient } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import type { AwsErrorInfo, ConfigResponse } from '../../domain/api-contract.ts';
import type { Fact } from '../../domain/diagnosis/evidence.ts';
import type { RenderedGuidance } from '../../domain/diagnosis/guidance-schema.ts';
import type { Evaluation } from '../../domain/trust/explanation.ts';

// The contract between the app shell and each step. Pieces from the troubleshoot feature arrive as
// slots: features never import each other (docs/architecture.md#one-way-imports), the app composes them.

export type StepId = 'source' | 'template' | 'trust' | 'role' | 'verify' | 'result';

export interface ProblemSlotProps {
  /** The failed identity check's guidance, as the server rendered it. */
  guidance: RenderedGuidance;
  facts: readonly Fact[];
  awsError: AwsErrorInfo | null;
}

export interface TrustChainSlotProps {
  evaluation: Evaluation;
  /** As GetCallerIdentity returned it (may be an sts assumed-role ARN). */
  callerArn?: string | null;
  /** The aws:PrincipalArn the policy was evaluated against. */
  principalArn: string;
  pathUnknown?: boolean;
  headingLevel?: 2 | 3 | 4;
  title?: string;
}

export interface ConnectSlots {
  /** The guidance panel for a failed identity check (SOURCE_NO_CREDENTIALS, SOURCE_KEY_INVALID, ...). */
  Problem: ComponentType<ProblemSlotProps>;
  /** The trust-chain picture for the live check in step 3. */
  TrustChain: ComponentType<TrustChainSlotProps>;
}

/**
 * What a step's module may export as `firstScreenData`: the data its first screen shows, fetched
 * before a step drawn from the tab's copy is rendered over it (src/main.tsx), so the app draws the
 * same screen at once instead of a loading state.
 */
export type FirstScreenData = (client: QueryClient, config: ConfigResponse | undefined) => Promise<unknown>;

export interface StepProps {
  config: ConfigResponse;
  slots: ConnectSlots;
  goTo: (id: StepId, options?: { replace?: boolean }) => void;
  next: () => void;
  back: () => void;
  /** A reload would show this step again: no answer it needs is lost (access keys are). */
  survivesReload: boolean;
}
