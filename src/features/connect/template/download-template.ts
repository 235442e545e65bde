import { renderTemplate, type TemplateParams } from '../../../domain/template/role-template.ts';
import { saveTextFile } from '../../../lib/save-file.ts';

// A static import: the template step already loads role-template.ts (the live check, the command
// line), so a dynamic one moved nothing out of the chunk and only drew Rolldown's
// INEFFECTIVE_DYNAMIC_IMPORT warning. The first screen does not load this step.

/** Renders the template with the values on screen and saves it as a file. */
export async function downloadTemplate(
  params: Partial<TemplateParams>,
  format: 'yaml' | 'json',
  fileName: string,
) {
  saveTextFile(
    fileName,
    renderTemplate(params, format),
    format === 'yaml' ? 'application/yaml' : 'application/json',
  );
}
