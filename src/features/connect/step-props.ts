import type { ComponentType } from 'react';
import type { AwsErrorInfo, CallerIdentity, ConfigResponse } from '../../domain/api-contract.ts';
import type { DiagnosisCode } from '../../domain/diagnosis/codes.ts';
import type { CredentialSourceKind } from '../../domain/inputs.ts';
import type { Evaluation } from '../../domain/trust/explanation.ts';

// The contract between the app shell and each step. Pieces from the troubleshoot feature arrive as
// slots: features never import each other (docs/architecture.md#one-way-imports), the app composes them.

export type StepId = 'source' | 'template' | 'trust' | 'role' | 'verify' | 'result';

export interface ProblemSlotProps {
  code: DiagnosisCode;
  evidence: Record<string, string>;
  awsError: AwsErrorInfo | null;
  sourceKind: CredentialSourceKind;
  caller?: CallerIdentity | null;
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

export interface StepProps {
  config: ConfigResponse;
  slots: ConnectSlots;
  goTo: (id: StepId, options?: { replace?: boolean }) => void;
  next: () => void;
  back: () => void;
}
