import type { VerifyReport } from '../diagnosis-contract.ts';
import type { DiagnosisCode } from './codes.ts';
import { reportView } from './diagnosis-view.ts';
import { type Guidance, type GuidanceEnv, guidanceFor } from './guidance.ts';

export { identityView, reportView } from './diagnosis-view.ts';

// From a report (or a failed identity check) to what people read: the one place that assembles
// the guidance context. The server renders the report's guidance with it (for the wizard, or for
// the CLI); the exports and the CLI print what it rendered.

export function guidanceForReport(report: VerifyReport, env: GuidanceEnv, code?: DiagnosisCode): Guidance {
  return guidanceFor(reportView(report), env, code);
}

export { type FactItem, type FactSection, factSections } from './labels.ts';
