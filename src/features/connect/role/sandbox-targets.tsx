import { useId, useState } from 'react';
import { INPUT } from '../../../components/ui/styles.ts';
import { useSandboxScenario } from '../api/sandbox-scenario.ts';

/** Demo only: the sandbox's accounts, each set up to show one outcome; picking one fills the ARN. */
export function SandboxTargets({ onPick }: { onPick: (roleArn: string) => void }) {
  const scenario = useSandboxScenario();
  const [picked, setPicked] = useState('');
  const id = useId();
  const targets = scenario.data?.targets ?? [];
  const target = targets.find((t) => t.accountId === picked);
  // While the accounts load, the box already takes its place: the form below it does not move
  // when they arrive (Lighthouse counted that shift on a reload of this step).
  if (!scenario.isPending && targets.length === 0) return null;
  return (
    <div className="rounded-lg border-2 border-dashed border-violet-700 p-4 dark:border-violet-300">
      <label htmlFor={id} className="block text-sm font-semibold">
        Sandbox demo: fill in the role of a sandbox account
      </label>
      <select
        id={id}
        value={picked}
        disabled={scenario.isPending}
        aria-describedby={`${id}-what`}
        onChange={(e) => {
          const next = targets.find((t) => t.accountId === e.target.value);
          setPicked(e.target.value);
          if (next) onPick(next.roleArn ?? `arn:aws:iam::${next.accountId}:role/ProwlerScan`);
        }}
        className={`${INPUT} mt-1 font-sans`}
      >
        <option value="">
          {scenario.isPending ? 'Loading the sandbox accounts…' : 'Choose a sandbox account…'}
        </option>
        {targets.map((t) => (
          <option key={t.accountId} value={t.accountId}>
            {t.accountId} · {t.label}
          </option>
        ))}
      </select>
      <p id={`${id}-what`} className="mt-1 min-h-5 text-sm text-slate-700 dark:text-slate-300">
        {target
          ? `${target.illustrates}${target.roleArn ? '' : ' (no role deployed yet)'}`
          : 'Each account shows one outcome of the demo.'}
      </p>
    </div>
  );
}
