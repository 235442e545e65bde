import { CATALOGUE } from './catalogue.ts';
import type { DiagnosisCode } from './codes.ts';
import { doctorCommand, doctorTarget } from './doctor-command.ts';
import { type DiagnosisView, type Guidance, type GuidanceEnv, helpersFor } from './guidance-context.ts';
import { suspectedTrust } from './guidance-trust.ts';

// The one builder from a diagnosis to its guidance, used by the web app, the CLI, the exports and
// the JSON report: a title, what happened, why, the fix as steps with this user's own values (each
// command saying whose credentials it runs with), and the facts to show. A suspected trust-side
// cause opens with "AWS refused and does not say why" and the trust doctor.

export type { DiagnosisView, Guidance, GuidanceEnv, GuidanceStep } from './guidance-context.ts';

/** The guidance for the diagnosis (or for another of its findings, `code`). */
export function guidanceFor(
  view: DiagnosisView,
  env: GuidanceEnv,
  code: DiagnosisCode = view.code,
): Guidance {
  const primary = code === view.code;
  const h = helpersFor({ ...env, ...view, code });
  // AWS did not say why: the candidates and the doctor, not a fix for a guess.
  const suspected = primary && view.confidence === 'suspected' && view.candidates.length > 0;
  const target = doctorTarget(view.facts, view.request);
  const body = suspected
    ? suspectedTrust(h, target ? doctorCommand(target) : undefined)
    : (CATALOGUE[code] ?? CATALOGUE.UNKNOWN).guidance(h);
  return {
    code,
    severity: CATALOGUE[code].severity,
    confidence: primary ? view.confidence : 'confirmed',
    ...body,
  };
}
