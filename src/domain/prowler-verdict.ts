import { severityOf } from './diagnosis/catalogue.ts';
import { classifyAwsError, sanitizeAwsMessage } from './diagnosis/classify.ts';
import type { DiagnosisCode } from './diagnosis/codes.ts';
import type { Comparison, OurVerdict, ProwlerVerdict } from './prowler-api.ts';

// Prowler's connection test fails with a text in the task's result.error, not with an HTTP error
// (docs/prowler-api.md). This is the one table that reads those texts into our diagnosis codes.
// Its test (AssumeRole with the secret's role, GetCallerIdentity, then "is the account the
// provider's uid?") runs on Prowler's worker with the worker's own SDK-default identity, so a
// caller-side code here is about that identity, never about the one our verify used.

type Diagnosis = NonNullable<ProwlerVerdict['diagnosis']>;

interface Rule {
  id: string;
  /** Tested against the whole text; the first rule that matches wins. */
  match: RegExp;
  read(text: string, match: RegExpExecArray): Omit<Diagnosis, 'rule'>;
}

const confirmed = (code: DiagnosisCode, summary: string, fix: string): Omit<Diagnosis, 'rule'> => ({
  code,
  confidence: 'confirmed',
  summary,
  fix,
  candidates: [],
});

/** botocore's wording: "An error occurred (Code) when calling the Operation operation: message". */
const BOTOCORE = /An error occurred \(([\w.]+)\) when calling the (\w+) operation: ([\s\S]*)$/;

/** The trust-side candidates of a bare AccessDenied: AWS does not say which, so each stays possible. */
const TRUST_SIDE: DiagnosisCode[] = [
  'TRUST_PRINCIPAL_MISMATCH',
  'TRUST_ACCOUNT_MISMATCH',
  'EXTERNAL_ID_MISMATCH',
];

function fromBotocore(awsCode: string, operation: string, message: string): Omit<Diagnosis, 'rule'> {
  const classified = classifyAwsError({ name: awsCode, message }, `sts:${operation}`);
  const said = `AWS answered Prowler's worker ${awsCode} on ${operation}`;
  switch (classified.code) {
    case 'SOURCE_KEY_INVALID':
      return confirmed(
        'SOURCE_KEY_INVALID',
        `${said}: the access key Prowler's worker signs with is not a valid AWS key. The role is not the problem.`,
        "Give Prowler's worker valid AWS credentials (its .env AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or its instance or task role), restart it, and push again.",
      );
    case 'UNKNOWN':
      if (classified.accessDenied) {
        const who = classified.accessDenied.callerArn;
        return {
          code: 'TRUST_PRINCIPAL_MISMATCH',
          confidence: 'suspected',
          summary: `${said}${who ? ` for ${who}` : ''}: the role's trust policy does not admit that caller, or the External ID differs. AWS does not say which.`,
          fix: `Make the role's trust policy admit ${who ?? "Prowler's worker identity"} (the stack's AccountId and IAMPrincipal), with the External ID Prowler sends, then push again.`,
          candidates: TRUST_SIDE.slice(1),
        };
      }
      break;
    case 'CALLER_NOT_PERMITTED':
    case 'EXPLICIT_DENY': {
      const who = classified.accessDenied?.callerArn ?? "Prowler's worker identity";
      return confirmed(
        classified.code,
        `${said}: ${sanitizeAwsMessage(message)}`,
        classified.code === 'CALLER_NOT_PERMITTED'
          ? `Allow sts:AssumeRole on the role in the identity policy of ${who}, then push again.`
          : `Remove the deny that stops ${who} from calling sts:AssumeRole (AWS names the policy type), then push again.`,
      );
    }
    default:
      return confirmed(
        classified.code,
        `${said}: ${sanitizeAwsMessage(message)}`,
        "Fix it on Prowler's side (its worker's credentials, clock or network), then push again.",
      );
  }
  return {
    code: 'UNKNOWN',
    confidence: 'suspected',
    summary: `${said}: ${sanitizeAwsMessage(message)}`,
    fix: 'Read the text Prowler gave; push again once it is fixed.',
    candidates: [],
  };
}

/** Every text of docs/prowler-api.md has its row, in this order; the last rows catch the rest. */
export const PROWLER_ERROR_RULES: readonly Rule[] = [
  {
    id: 'no-secret',
    match: /^Provider has no secret\.?$/,
    read: () =>
      confirmed(
        'INVALID_INPUT',
        'Prowler holds no role secret for this provider, so it had nothing to assume.',
        'Push again: the push writes the role ARN and External ID before it asks Prowler to test.',
      ),
  },
  {
    id: 'account-mismatch',
    match: /^AWSInvalidProviderIdError\[1015\]/,
    read: () =>
      confirmed(
        'ROLE_ACCOUNT_MISMATCH',
        "Prowler assumed the role, but the role's account is not the provider's account ID: it checks that they are the same.",
        'Push with the account ID in the role ARN, or with the ARN of the role in the account you mean to scan.',
      ),
  },
  {
    id: 'role-arn-missing-fields',
    match: /^AWSIAMRoleARNMissingFieldsError\[1007\]/,
    read: () =>
      confirmed(
        'INVALID_INPUT',
        'Prowler could not read the role ARN in its secret: it lacks a partition, account or role name.',
        'Push the role ARN from the stack outputs, like arn:aws:iam::123456789012:role/ProwlerScan.',
      ),
  },
  {
    id: 'external-id-invalid',
    match: /^AWSAssumeRoleError\[1012\][\s\S]*Parameter validation failed:[\s\S]*\bExternalId\b/,
    read: () =>
      confirmed(
        'INVALID_INPUT',
        'The External ID in Prowler’s secret is not one STS accepts (2 to 1224 characters of letters, digits and + = , . @ : / -), so AWS was never asked.',
        'Push the External ID the stack was deployed with (with the integration on, the Prowler tenant ID).',
      ),
  },
  {
    id: 'parameter-validation',
    match: /^AWSAssumeRoleError\[1012\][\s\S]*Parameter validation failed:/,
    read: (text) =>
      confirmed(
        'INVALID_INPUT',
        `A value in Prowler's secret is not one STS accepts, so AWS was never asked: ${firstLineAfter(text, 'Parameter validation failed:')}`,
        'Push the role ARN, session name (2 to 64 characters) and duration (900 to 43200 seconds) as the wizard checks them.',
      ),
  },
  {
    id: 'sts-unreachable',
    match: /^AWSAssumeRoleError\[1012\][\s\S]*Could not connect to the endpoint URL: "([^"]*)"/,
    read: (_text, m) =>
      confirmed(
        'STS_UNREACHABLE',
        `Prowler's worker could not reach STS at ${m[1] || 'its endpoint'}: the role was never asked.`,
        "Let Prowler's worker reach STS (network, proxy, DNS). Its STS client takes its endpoint from AWS_ENDPOINT_URL only, not AWS_ENDPOINT_URL_STS.",
      ),
  },
  {
    id: 'assume-role-client-error',
    match: new RegExp(`^AWSAssumeRoleError\\[1012\\][\\s\\S]*?${BOTOCORE.source}`),
    read: (text) => {
      const m = BOTOCORE.exec(text)!;
      return fromBotocore(m[1]!, m[2]!, m[3]!);
    },
  },
  {
    id: 'other-prowler-error',
    match: /^(AWS\w*Error)\[(\d+)\]/,
    read: (_text, m) => ({
      code: 'UNKNOWN',
      confidence: 'suspected',
      summary: `Prowler's test failed with ${m[1]}[${m[2]}], which this product does not read yet; its text is shown as Prowler gave it.`,
      fix: 'Read the text Prowler gave; push again once it is fixed.',
      candidates: [],
    }),
  },
  {
    id: 'unrecognised',
    match: /[\s\S]*/,
    read: () => ({
      code: 'UNKNOWN',
      confidence: 'suspected',
      summary:
        "Prowler's test failed with a text this product does not read; it is shown as Prowler gave it.",
      fix: 'Read the text Prowler gave; push again once it is fixed.',
      candidates: [],
    }),
  },
];

function firstLineAfter(text: string, marker: string): string {
  const rest = text.slice(text.indexOf(marker) + marker.length).trim();
  return rest.split('\n')[0]?.trim() ?? '';
}

const MAX_TEXT = 2000;

/** Prowler's text, kept readable: no control characters but the line break, bounded length. */
export function cleanProwlerText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
  const kept = text.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ').trim();
  return kept.length > MAX_TEXT ? `${kept.slice(0, MAX_TEXT)}…` : kept;
}

/** Prowler's task result read into our catalogue. */
export function readProwlerResult(result: { connected: boolean; error: string | null }): ProwlerVerdict {
  if (result.connected)
    return { connected: true, error: result.error ? cleanProwlerText(result.error) : null, diagnosis: null };
  const text = cleanProwlerText(result.error ?? '');
  for (const rule of PROWLER_ERROR_RULES) {
    const m = rule.match.exec(text);
    if (m)
      return { connected: false, error: text || null, diagnosis: { rule: rule.id, ...rule.read(text, m) } };
  }
  throw new Error('unreachable: the last rule matches every text');
}

function callerOf(ours: OurVerdict): string {
  const who = ours.callerArn ? ` as ${ours.callerArn}` : '';
  return ours.sourceKind === 'access-keys'
    ? `with the access keys pasted in the browser${who}`
    : `with this server’s own default credentials${who}`;
}

/**
 * Why the two verdicts agree or not. Our verify and Prowler's test assume the same role, but not as
 * the same caller: ours as the browser's keys or this server's identity, Prowler's as its worker's
 * own SDK-default identity.
 */
export function compareVerdicts(
  ours: OurVerdict | null,
  prowler: ProwlerVerdict,
  pushed: { roleArn: string; externalId: string; accountId: string },
): Comparison {
  if (!ours) {
    return {
      agreement: 'none',
      explanation: ['There is no verification of ours to compare with: only Prowler’s verdict is shown.'],
    };
  }
  const lines: string[] = [];
  if (ours.roleArn !== pushed.roleArn || ours.externalId !== pushed.externalId) {
    lines.push(
      `Our verification checked ${ours.roleArn} with External ID ${ours.externalId}; the push sent ${pushed.roleArn} with ${pushed.externalId}: the verdicts are about different settings.`,
    );
  }
  const code = prowler.diagnosis?.code;
  if (ours.connected && prowler.connected) {
    lines.unshift(`Both assumed the role: ours ${callerOf(ours)}, Prowler with its worker’s own identity.`);
    if (severityOf(ours.code) === 'warning') {
      lines.push(`Prowler’s test checks no permission, so our warning ${ours.code} still stands.`);
    }
    return { agreement: 'agree', explanation: lines };
  }
  if (!ours.connected && !prowler.connected) {
    lines.unshift(
      code === ours.code
        ? `Both were refused, for the same cause (${ours.code}).`
        : `Both were refused: ours with ${ours.code} (${callerOf(ours)}), Prowler’s with ${code ?? 'UNKNOWN'} (its worker’s own identity).`,
    );
    return { agreement: 'agree', explanation: lines };
  }
  if (ours.connected) {
    lines.unshift(
      `Our verification assumed the role ${callerOf(ours)}; Prowler’s worker could not, and it uses its own SDK-default identity: the caller differs.`,
    );
    if (code === 'ROLE_ACCOUNT_MISMATCH') {
      lines.push(
        `Prowler also checks that the role’s account is the provider’s account ID (${pushed.accountId}); our verification checks that only when an account ID is given.`,
      );
    } else if (code && code !== 'TRUST_PRINCIPAL_MISMATCH' && code !== 'UNKNOWN') {
      lines.push(
        `${code} is about Prowler’s side (its worker’s credentials, network or the pushed values), not the role our verify reached.`,
      );
    } else {
      lines.push(
        'The role’s trust policy admits our caller; make it admit Prowler’s worker identity too (the stack’s AccountId and IAMPrincipal), or run the worker as the identity we verified with.',
      );
    }
    return { agreement: 'disagree', explanation: lines };
  }
  lines.unshift(
    `Prowler’s worker assumed the role with its own identity, but our verification (${callerOf(ours)}) was refused with ${ours.code}: the caller differs, and the role admits Prowler’s.`,
  );
  return { agreement: 'disagree', explanation: lines };
}
