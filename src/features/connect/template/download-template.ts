import type { TemplateParams } from '../../../domain/template/role-template.ts';
import { saveTextFile } from '../../../lib/save-file.ts';

/** Renders on demand (the template module stays out of the first screen) and saves as a file. */
export async function downloadTemplate(
  params: Partial<TemplateParams>,
  format: 'yaml' | 'json',
  fileName: string,
) {
  const { renderTemplate } = await import('../../../domain/template/role-template.ts');
  saveTextFile(
    fileName,
    renderTemplate(params, format),
    format === 'yaml' ? 'application/yaml' : 'application/json',
  );
}
