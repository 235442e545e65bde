import { parseRoleArn } from '../domain/arn.ts';
import { doctorCommand, doctorTarget } from '../domain/diagnosis/doctor-command.ts';
import type { RenderedGuidance } from '../domain/diagnosis/guidance-schema.ts';
import type { VerifyReport } from '../domain/diagnosis-contract.ts';
import { RoleEvidenceBox } from '../features/connect/result/role-evidence-box.tsx';

// Where the trust doctor is offered on the result step: whenever the role's own state decides
// (a suspected or trust-side cause, or a role that drifted from its template).

const ROLE_STATE_CODES = new Set(['EXTERNAL_ID_NOT_ENFORCED', 'PERMISSIONS_INCOMPLETE']);

export function wantsDoctor(report: VerifyReport): boolean {
  const { code, confidence, traits } = report.diagnosis;
  const refused = code === 'UNKNOWN' && report.awsError?.code === 'AccessDenied';
  return confidence === 'suspected' || traits.trustSide || ROLE_STATE_CODES.has(code) || refused;
}

export function DoctorSection({
  report,
  guidance,
  externalId,
}: {
  report: VerifyReport;
  guidance: RenderedGuidance;
  externalId: string;
}) {
  const target = doctorTarget(report.diagnosis.facts, report.request);
  const role = parseRoleArn(report.request.roleArn);
  if (!target || !role) return null;
  const command = doctorCommand(target);
  const shown = guidance.steps.some((s) => s.command === command);
  return (
    <RoleEvidenceBox
      externalId={externalId}
      accountId={role.accountId}
      command={shown ? undefined : command}
    />
  );
}
