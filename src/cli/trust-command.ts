import { principalArnFromCaller } from '../domain/arn.ts';
import { evaluate, parsePolicyText } from '../domain/trust/evaluate.ts';
import type { ConditionExplanation, Evaluation, PartExplanation } from '../domain/trust/explanation.ts';
import { MAX_POLICY_TEXT_CHARS, requestTooLarge } from '../domain/trust/limits.ts';
import { type PolicyWarning, policyWarnings } from '../domain/trust/warnings.ts';
import { parseOptions, UsageError } from './parse-options.ts';
import { readInput } from './read-input.ts';

// `aws-connect trust evaluate`: would this trust policy let this principal assume the role, and
// why (issue 3, "CLI"). Exit 0 allow, 1 deny, 2 bad input with one line on stderr.

const USAGE = `aws-connect trust evaluate --policy FILE --principal-arn ARN [options]

Explains whether a role trust policy lets a principal call sts:AssumeRole.
  --policy FILE          the trust policy JSON ("-" reads stdin; aws iam get-role output works too)
  --principal-arn ARN    the caller: an IAM user/role ARN, or the ARN from aws sts get-caller-identity
                         (an assumed-role ARN is converted to its role ARN; its path is unknown)
  --external-id ID       the External ID sent with AssumeRole (sts:ExternalId)
  --context KEY=VALUE    another request context key; repeat it, and repeat a key for several values
  --action ACTION        the action to evaluate (default sts:AssumeRole)
  --json                 print one JSON object: {"decision": "allow"|"deny", "warnings": [...], ...}
Warnings (e.g. Principal "*": anyone may assume the role) are printed whatever the decision.
Exit status: 0 allow, 1 deny, 2 bad input.`;

class InputError extends Error {}

function fail(message: string): number {
  process.stderr.write(`aws-connect trust: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 2;
}

/**
 * Enough bytes for one character past the evaluator's text bound (UTF-8 takes up to 4 a character),
 * so a document just over it is refused by parsePolicyText with its sentence.
 */
const MAX_READ_BYTES = (MAX_POLICY_TEXT_CHARS + 1) * 4;

function contextFrom(pairs: string[], externalId: string | undefined) {
  const context: Record<string, string | string[]> = {};
  const add = (key: string, value: string) => {
    const existing = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase());
    if (!existing) context[key] = value;
    else context[existing[0]] = [...[existing[1]].flat(), value];
  };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new InputError(
        `--context takes KEY=VALUE, like aws:SourceIdentity=scanner (got "${pair.slice(0, 80)}").`,
      );
    add(pair.slice(0, eq), pair.slice(eq + 1));
  }
  if (externalId !== undefined) add('sts:ExternalId', externalId);
  return context;
}

const mark = (ok: boolean) => (ok ? '✓' : '✗');

function side(policyValues: string[], requestValue: string | string[] | null): string[] {
  const req =
    requestValue === null
      ? '(not in the request)'
      : Array.isArray(requestValue)
        ? requestValue.join(', ')
        : requestValue;
  return [
    `      policy:  ${policyValues.length ? policyValues.join(' | ') : '(none)'}`,
    `      request: ${req}`,
  ];
}

function partLines(name: string, part: PartExplanation): string[] {
  const label = part.negated ? `Not${name}` : name;
  return [
    `  ${mark(part.matched)} ${label}`,
    ...side(part.policyValues, part.requestValue),
    ...(part.note ? [`      ${part.note}`] : []),
  ];
}

function conditionLines(c: ConditionExplanation): string[] {
  return [
    `  ${mark(c.matched)} ${c.operator} ${c.key}`,
    ...side(c.policyValues, c.requestValue),
    ...(c.note ? [`      ${c.note}`] : []),
  ];
}

const REASONS: Record<Evaluation['reason'], string> = {
  allowed: 'an Allow statement applies and no Deny does',
  'explicit-deny': 'a Deny statement applies (an explicit Deny wins)',
  'implicit-deny': 'no Allow statement applies',
};

export function formatEvaluation(
  result: Evaluation,
  caller: { given: string; principalArn: string; pathUnknown: boolean },
  warnings: readonly PolicyWarning[] = [],
): string {
  const lines = [`Decision: ${result.decision.toUpperCase()} (${REASONS[result.reason]})`];
  for (const w of warnings) lines.push(`Warning: ${w.message}`);
  const converted = caller.given !== caller.principalArn ? ` (from ${caller.given})` : '';
  lines.push(`Caller aws:PrincipalArn: ${caller.principalArn}${converted}`);
  if (caller.pathUnknown)
    lines.push('  role path unknown: an assumed-role ARN does not show the role path, so none is assumed');
  for (const s of result.statements) {
    lines.push(
      '',
      `Statement ${s.index + 1}${s.sid ? ` "${s.sid}"` : ''} (${s.effect}): ${s.applies ? 'applies' : 'does not apply'}`,
    );
    lines.push(...partLines('Principal', s.principal), ...partLines('Action', s.action));
    for (const c of s.conditions) lines.push(...conditionLines(c));
  }
  if (result.policyErrors.length)
    lines.push('', 'Problems with the policy:', ...result.policyErrors.map((e) => `  - ${e}`));
  return `${lines.join('\n')}\n`;
}

async function evaluateCommand(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    policy: { type: 'string' },
    'principal-arn': { type: 'string' },
    'external-id': { type: 'string' },
    context: { type: 'string', multiple: true },
    action: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.policy) throw new InputError('--policy FILE is required (a trust policy JSON document).');
  const given = values['principal-arn']?.trim();
  if (!given)
    throw new InputError(
      '--principal-arn ARN is required (the caller, e.g. arn:aws:iam::123456789012:user/prowler-app).',
    );
  const caller = principalArnFromCaller(given);
  if (!caller || caller.kind === 'unknown') {
    throw new InputError(
      `--principal-arn "${given.slice(0, 100)}" is not a principal ARN: use an IAM user or role ARN, the account root, or the assumed-role ARN from aws sts get-caller-identity.`,
    );
  }
  const context = contextFrom(values.context ?? [], values['external-id']);
  const tooLarge = requestTooLarge({ principalArn: caller.principalArn, context });
  if (tooLarge) throw new InputError(tooLarge);
  const read = await readInput(values.policy, 'the policy file', MAX_READ_BYTES);
  if (!read.ok) throw new InputError(read.message);
  const parsed = parsePolicyText(read.text);
  if ('error' in parsed) throw new InputError(parsed.error);
  const result = evaluate(parsed.policy, {
    principalArn: caller.principalArn,
    pathUnknown: caller.pathUnknown,
    ...(values.action ? { action: values.action } : {}),
    context,
  });
  const warnings = policyWarnings(parsed.policy);
  if (values.json) {
    const out = {
      ...result,
      warnings,
      principalArn: caller.principalArn,
      pathUnknown: caller.pathUnknown,
      callerArn: given,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(formatEvaluation(result, { given, ...caller }, warnings));
  }
  return result.decision === 'allow' ? 0 : 1;
}

export async function runTrustCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (sub !== 'evaluate') {
    return fail(
      sub === undefined
        ? 'missing subcommand: use "aws-connect trust evaluate --help".'
        : `unknown subcommand "${sub.slice(0, 40)}": use "aws-connect trust evaluate".`,
    );
  }
  try {
    return await evaluateCommand(rest);
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} Run "aws-connect trust evaluate --help".`);
    if (e instanceof InputError) return fail(e.message);
    return fail(`unexpected error: ${(e as Error).message ?? String(e)}`);
  }
}
