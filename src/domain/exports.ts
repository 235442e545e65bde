import { factSections, RUN_IN_LABELS } from './diagnosis/labels.ts';
import type { VerifyReport } from './diagnosis-contract.ts';
import { shellCommand } from './shell-quote.ts';

// What a user takes away from a verification (issue 5, "Exports"): an AWS CLI profile, the
// scanner command line and a Markdown report for a support ticket. Built from the report only,
// which carries no secret; the Markdown additionally masks the External ID.

/**
 * An ~/.aws/config profile that assumes the role the way the scanner does.
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html
 */
export function awsCliProfile(
  report: VerifyReport,
  opts: { profileName?: string; sourceProfile?: string } = {},
): string {
  const r = report.request;
  const name = opts.profileName ?? 'prowler-scan';
  const lines = [`[profile ${name}]`, `role_arn = ${r.roleArn}`, `external_id = ${r.externalId}`];
  if (r.sessionName) lines.push(`role_session_name = ${r.sessionName}`);
  lines.push(`duration_seconds = ${r.durationSeconds}`);
  if (r.sourceKind === 'access-keys') {
    lines.push(
      '# The profile holding the access keys you verified with:',
      `source_profile = ${opts.sourceProfile ?? 'default'}`,
    );
  } else {
    lines.push(
      '# Where the default chain finds the base identity: Environment, Ec2InstanceMetadata or EcsContainer.',
      'credential_source = Environment',
    );
  }
  lines.push(`region = ${r.region}`);
  return `${lines.join('\n')}\n`;
}

/** The scanner's command line (Prowler's --role and --external-id flags). */
export function scannerCommand(report: VerifyReport): string {
  const r = report.request;
  const parts = ['prowler', 'aws', '--role', r.roleArn, '--external-id', r.externalId];
  if (r.durationSeconds !== 3600) parts.push('--session-duration', String(r.durationSeconds));
  return shellCommand(parts);
}

/** Keeps enough of the External ID to compare by eye, not enough to reuse. */
export function maskExternalId(id: string): string {
  if (id.length <= 8) return `${id.slice(0, 2)}… (${id.length} characters)`;
  return `${id.slice(0, 4)}…${id.slice(-4)} (${id.length} characters)`;
}

const cell = (v: string) => v.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A Markdown report for a support ticket: the outcome, the checks, the evidence, no secrets. */
export function markdownReport(report: VerifyReport): string {
  const r = report.request;
  const mask = (text: string) =>
    r.externalId ? text.split(r.externalId).join(maskExternalId(r.externalId)) : text;
  const out: string[] = [
    '# AWS connection verification',
    '',
    `- Result: **${report.ok ? 'connected' : report.connected ? 'connected with warnings' : 'not connected'}**`,
    `- Diagnosis: \`${report.diagnosis.code}\` (${report.diagnosis.severity}, ${report.diagnosis.confidence})`,
  ];
  if (report.findings.length > 1)
    out.push(`- Findings: ${report.findings.map((f) => `\`${f}\``).join(', ')}`);
  out.push(
    `- Role: \`${r.roleArn}\``,
    `- External ID: ${maskExternalId(r.externalId)}`,
    `- Credential source: ${r.sourceKind}${r.accessKeyId ? ` (${r.accessKeyId})` : ''}`,
    `- Region: ${r.region} (partition ${r.partition}); session ${r.sessionName}, ${r.durationSeconds} s`,
  );
  if (report.caller)
    out.push(`- Caller: \`${report.caller.arn}\` (aws:PrincipalArn \`${report.caller.principalArn}\`)`);
  if (report.assumed) out.push(`- Assumed: \`${report.assumed.arn}\`, expires ${report.assumed.expiration}`);
  out.push('', '## Checks', '', '| check | status | detail |', '| --- | --- | --- |');
  for (const c of report.checks) out.push(`| ${cell(c.title)} | ${c.status} | ${cell(mask(c.detail))} |`);
  if (report.audit) {
    out.push('', '## Permission audit', '');
    for (const p of report.audit.managedPolicies)
      out.push(`- ${p.present ? '[x]' : '[ ]'} ${p.name} (\`${p.arn}\`)`);
    out.push(
      `- ${report.audit.additionsPolicy.present ? '[x]' : '[ ]'} ${report.audit.additionsPolicy.name} (inline)`,
    );
  }
  const g = report.guidance;
  out.push('', `## ${cell(mask(g.title))}`, '', mask(g.what));
  if (report.diagnosis.candidates.length > 0) {
    out.push('', '### Possible causes, most likely first', '');
    report.diagnosis.candidates.forEach((c, i) => {
      out.push(`${i + 1}. \`${c.code}\`: ${mask(c.why)} Check: ${mask(c.check.text)}`);
    });
  }
  if (g.steps.length > 0) {
    out.push('', report.diagnosis.confidence === 'suspected' ? '### To know for sure' : '### Fix', '');
    g.steps.forEach((s, i) => {
      out.push(`${i + 1}. ${mask(s.text)}`);
      if (s.command) {
        if (s.runIn) out.push(`   Run ${RUN_IN_LABELS[s.runIn]}:`);
        out.push(
          '',
          '   ```sh',
          ...mask(s.command)
            .split('\n')
            .map((l) => `   ${l}`),
          '   ```',
          '',
        );
      }
    });
  }
  // Every fact, labelled by where it came from; the External ID stays masked.
  for (const section of factSections(report.diagnosis.facts)) {
    const items = section.items.filter((f) => f.key !== 'externalId');
    if (items.length === 0) continue;
    out.push('', `## ${section.title}`, '', '| fact | value | from |', '| --- | --- | --- |');
    for (const f of items) out.push(`| ${cell(f.label)} | ${cell(mask(f.value))} | ${cell(f.provenance)} |`);
  }
  if (report.awsError) {
    const e = report.awsError;
    out.push(
      '',
      '## AWS error',
      '',
      `- Call: ${e.call}`,
      `- Code: \`${e.code}\``,
      `- Message: ${mask(e.message)}`,
    );
    if (e.requestId) out.push(`- AWS request ID: ${e.requestId}`);
  }
  if (report.timings.length > 0) {
    out.push('', '## Timings', '', ...report.timings.map((t) => `- ${t.call}: ${t.ms} ms`));
  }
  out.push('', `Request ${report.requestId}, finished ${report.finishedAt}.`, '');
  return out.join('\n');
}
