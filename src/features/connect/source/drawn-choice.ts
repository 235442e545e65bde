import type { CredentialSourceKind } from '../../../domain/inputs.ts';
import { wizardStore } from '../store/wizard-store.ts';
import { SOURCE_FIELD_NAME, SOURCE_KINDS } from './source-cards.tsx';

// The server draws the first step into the page before the app's code arrives
// (src/app/first-screen.tsx). A card chosen on that drawing is a native radio the user already
// checked: the app adopts the choice before it replaces the drawing, so the click is not lost.

export function adoptDrawnSourceChoice(root: ParentNode): CredentialSourceKind | null {
  const checked = root.querySelector<HTMLInputElement>(`input[name="${SOURCE_FIELD_NAME}"]:checked`)?.value;
  const kind = SOURCE_KINDS.find((k) => k === checked) ?? null;
  if (kind) wizardStore.update({ sourceKind: kind, detected: null });
  return kind;
}
