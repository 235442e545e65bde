import type { ConfigResponse, VerifyReport } from '../domain/api-contract.ts';
import { guidanceFor } from '../domain/diagnosis/guidance.ts';

// The guidance for a report's diagnosis: the wizard's result and a saved connection's page show
// the same panel from the same call.

export function guidance(
  report: VerifyReport,
  code: VerifyReport['diagnosis']['code'],
  config: ConfigResponse,
) {
  return guidanceFor(code, {
    flavour: config.flavour,
    productName: config.productName,
    sourceKind: report.request.sourceKind,
    evidence: report.diagnosis.evidence,
    request: report.request,
    caller: report.caller,
    awsError: report.awsError,
  });
}
