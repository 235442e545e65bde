import { Breakable } from '../../../components/ui/breakable.tsx';
import { LINK } from '../../../components/ui/styles.ts';
import type { ConfigResponse } from '../../../domain/api-contract.ts';
import { parseRoleArn } from '../../../domain/arn.ts';
import type { StepId } from '../step-props.ts';
import type { Answers } from '../store/answers.ts';
import { getSecrets } from '../store/secrets.ts';
import { regionInUse } from './region-in-use.ts';

export interface VerifySummaryProps {
  answers: Answers;
  config: ConfigResponse;
  goTo: (id: StepId) => void;
}

/** What is about to be verified, so the user can catch a wrong value before AWS does. */
export function VerifySummary({ answers, config, goTo }: VerifySummaryProps) {
  const key = getSecrets().accessKeyId;
  const source =
    answers.sourceKind === 'access-keys'
      ? `Access key ${key.slice(0, 4)}…${key.slice(-4)}`
      : `${config.flavour === 'hosted' ? config.productName : 'The server'}’s own identity${answers.detected ? ` (${answers.detected.identity.arn})` : ''}`;
  const region = regionInUse(answers, config);
  const rows: [string, string][] = [
    ['Source', source],
    ['Role ARN', answers.role.roleArn],
    ['External ID', config.externalId],
    ['Trusted AccountId · IAMPrincipal', `${answers.trust.trustedAccountId} · ${answers.trust.iamPrincipal}`],
  ];
  // The account the ARN names is in the ARN's row already; another one is worth a row of its own.
  const { accountId, roleArn } = answers.role;
  if (accountId && accountId !== parseRoleArn(roleArn.trim())?.accountId)
    rows.push(['Account you are connecting', accountId]);
  if (answers.role.sessionName) rows.push(['Session name', answers.role.sessionName]);
  if (answers.role.durationSeconds) rows.push(['Session duration', `${answers.role.durationSeconds} s`]);
  return (
    <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="font-semibold">{label}</dt>
          <dd className={label === 'Source' ? 'break-words' : 'break-words font-mono'}>
            {label === 'Source' ? value : <Breakable text={value} />}
          </dd>
        </div>
      ))}
      <div className="contents">
        <dt className="font-semibold">STS region</dt>
        <dd data-testid="verify-region">
          <span className="font-mono">{region.region}</span>{' '}
          {region.fromStack
            ? '(the stack region from step 2, Role template) '
            : '(step 2’s stack region, left at this server’s default) '}
          <a
            href="?step=template"
            className={LINK}
            onClick={(e) => {
              e.preventDefault();
              goTo('template');
            }}
          >
            Change the region<span className="sr-only"> in step 2, Role template</span>
          </a>
        </dd>
      </div>
    </dl>
  );
}
