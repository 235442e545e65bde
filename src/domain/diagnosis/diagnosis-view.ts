import type { IdentityResponse, VerifyReport } from '../diagnosis-contract.ts';
import type { CredentialSourceKind } from '../inputs.ts';
import type { DoctorInput, DoctorVerdict } from './doctor.ts';
import type { DiagnosisView } from './guidance-context.ts';

// What a guidance entry is about, from a report or from a failed identity check. Kept apart from
// the catalogue so the first screen (step 1's identity check) does not load every guidance text.

export function reportView(report: VerifyReport): DiagnosisView {
  return {
    code: report.diagnosis.code,
    confidence: report.diagnosis.confidence,
    candidates: report.diagnosis.candidates,
    facts: report.diagnosis.facts,
    sourceKind: report.request.sourceKind,
    request: report.request,
    caller: report.caller,
    awsError: report.awsError,
  };
}

export function identityView(
  failed: Pick<Extract<IdentityResponse, { ok: false }>, 'diagnosis' | 'awsError'>,
  sourceKind: CredentialSourceKind,
): DiagnosisView {
  return {
    code: failed.diagnosis.code,
    confidence: 'confirmed',
    candidates: [],
    facts: failed.diagnosis.facts,
    sourceKind,
    awsError: failed.awsError,
  };
}

/** What `aws-connect doctor` found, as a diagnosis: confirmed, from the role itself. */
export function doctorView(
  verdict: DoctorVerdict,
  input: DoctorInput,
  read: { region: string; stackName: string },
): DiagnosisView {
  return {
    code: verdict.code,
    confidence: 'confirmed',
    candidates: [],
    facts: verdict.facts,
    sourceKind: 'sdk-default',
    request: {
      roleArn: input.roleArn,
      externalId: input.externalId,
      region: read.region,
      stackName: read.stackName,
    },
  };
}
