import { Button } from '../../../components/ui/button.tsx';
import { CodeBlock } from '../../../components/ui/code-block.tsx';
import type { VerifyReport } from '../../../domain/diagnosis-contract.ts';
import { awsCliProfile, markdownReport, scannerCommand } from '../../../domain/exports.ts';
import { saveTextFile } from '../../../lib/save-file.ts';
import { shellScript } from './shell-script.ts';

/** What the user takes away: built from the report, which carries no secret (issue 5, Exports). */
export function ExportsPanel({ report }: { report: VerifyReport }) {
  const items = [
    {
      label: 'AWS CLI profile (~/.aws/config)',
      file: 'aws-config-prowler-scan.ini',
      code: awsCliProfile(report),
      type: 'text/plain',
    },
    {
      label: 'Scanner command',
      file: 'prowler-scan.sh',
      code: scannerCommand(report),
      // The downloaded file is a script: it runs as ./prowler-scan.sh and ends with a newline.
      download: shellScript(scannerCommand(report)),
      type: 'text/x-shellscript',
    },
  ];
  const markdown = markdownReport(report);
  return (
    <section aria-labelledby="exports-title" className="space-y-4">
      <h3 id="exports-title" className="text-lg font-semibold">
        Use it
      </h3>
      {items.map((item) => (
        <div key={item.file} className="space-y-2">
          <CodeBlock label={item.label} code={item.code} />
          <Button
            variant="secondary"
            onClick={() => saveTextFile(item.file, item.download ?? item.code, item.type)}
          >
            Download {item.file}
          </Button>
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="secondary"
          onClick={() => saveTextFile('aws-connect-report.md', markdown, 'text/markdown')}
        >
          Download the report (Markdown, External ID masked)
        </Button>
      </div>
    </section>
  );
}
