import type { Fact } from '../domain/diagnosis/evidence.ts';
import type { Candidate, GuidanceStep, RenderedGuidance } from '../domain/diagnosis/guidance-schema.ts';
import { factSections, RUN_IN_LABELS } from '../domain/diagnosis/labels.ts';
import type { VerifyReport } from '../domain/diagnosis-contract.ts';

// The guidance of a report as the terminal shows it: what the builder rendered for the CLI (the
// report's own guidance), every fact labelled by where it came from, every command with whose
// credentials it runs.

function stepLines(step: GuidanceStep, n: number, indent: string): string[] {
  const out = [`${indent}${n}. ${step.text}`];
  if (step.command) {
    if (step.runIn) out.push(`${indent}   Run ${RUN_IN_LABELS[step.runIn]}:`);
    out.push(...step.command.split('\n').map((l) => `${indent}     $ ${l}`));
  }
  if (step.value) out.push(`${indent}   ${step.value.label}: ${step.value.value}`);
  return out;
}

export function formatGuidance(report: VerifyReport): string[] {
  return formatRendered(report.guidance, report.diagnosis.candidates, report.diagnosis.facts);
}

export function formatRendered(
  g: RenderedGuidance,
  candidates: readonly Candidate[],
  facts: readonly Fact[],
): string[] {
  const { code, confidence } = g;
  const out = [`${g.title} (${code}, ${confidence})`, `  ${g.what}`];
  if (g.why.length) out.push('', '  Why:', ...g.why.map((w) => `    - ${w}`));
  if (candidates.length) {
    out.push('', '  Possible causes, most likely first:');
    candidates.forEach((c, i) => {
      out.push(`    ${i + 1}. ${c.code}: ${c.why}`, `       Check: ${c.check.text}`);
      if (c.check.command) {
        if (c.check.runIn) out.push(`       Run ${RUN_IN_LABELS[c.check.runIn]}:`);
        out.push(`         $ ${c.check.command}`);
      }
    });
  }
  if (g.steps.length) {
    out.push('', confidence === 'suspected' ? '  To know for sure:' : '  Fix:');
    g.steps.forEach((s, i) => {
      out.push(...stepLines(s, i + 1, '    '));
    });
  }
  for (const section of factSections(facts, g.shows)) {
    out.push('', `  ${section.title}:`);
    for (const f of section.items) out.push(`    ${f.label}: ${f.value}  [${f.provenance}]`);
  }
  return out;
}
