import { useSyncExternalStore } from 'react';
import type { FieldError } from '../../../domain/api-contract.ts';
import { WIZARD_STORAGE_KEY } from '../../../domain/drawn-step.ts';
import { type Answers, answersSchema, EMPTY_ANSWERS } from './answers.ts';
import { clearSecrets, getSecrets, type Secrets, setSecrets } from './secrets.ts';

// A small external store (useSyncExternalStore): one source of truth for every step's form, so
// back/forward and the guard see the same answers. Only `Answers` is persisted.

/** once: one verification; wait: keep re-verifying while a (re)deployment propagates. */
export type AutoVerify = null | 'once' | 'wait';

interface State {
  answers: Answers;
  /** Bumped when secrets change, so subscribers re-read them (the values stay out of state). */
  secretsVersion: number;
  /** Field errors the server returned (400 error.fields), by dotted request path. */
  serverErrors: readonly FieldError[];
  /** Start verifying as soon as the verify step shows ("verify again", "redeploy and verify again"); not persisted. */
  autoVerify: AutoVerify;
}

function load(): Answers {
  try {
    const raw = globalThis.sessionStorage?.getItem(WIZARD_STORAGE_KEY);
    return raw ? answersSchema.parse(JSON.parse(raw)) : EMPTY_ANSWERS;
  } catch {
    return EMPTY_ANSWERS;
  }
}

function save(answers: Answers) {
  try {
    globalThis.sessionStorage?.setItem(WIZARD_STORAGE_KEY, JSON.stringify(answers));
  } catch {
    // Storage full or disabled (private mode): the wizard still works, it just will not resume.
  }
}

let state: State = { answers: load(), secretsVersion: 0, serverErrors: [], autoVerify: null };
const listeners = new Set<() => void>();

function emit(next: State) {
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Answers that feed a verification: changing one makes the last report stale. */
const VERIFY_INPUTS: readonly (keyof Answers)[] = ['sourceKind', 'trust', 'role', 'template'];

/** Objects (template, trust, role) merge field by field; nullable values are replaced whole. */
export type AnswersPatch = {
  [K in keyof Answers]?: Answers[K] extends Record<string, unknown> ? Partial<Answers[K]> : Answers[K];
};

export const wizardStore = {
  getState: () => state,
  subscribe,
  update(patch: AnswersPatch) {
    const answers = { ...state.answers };
    for (const [key, value] of Object.entries(patch) as [keyof Answers, unknown][]) {
      const current = answers[key];
      const merged =
        value && typeof value === 'object' && current && typeof current === 'object' && !Array.isArray(value)
          ? { ...current, ...value }
          : value;
      (answers as Record<string, unknown>)[key] = merged;
    }
    const stale = VERIFY_INPUTS.some(
      (key) => key in patch && JSON.stringify(patch[key]) !== JSON.stringify(state.answers[key]),
    );
    if (stale && !('report' in patch)) answers.report = null;
    save(answers);
    emit({ ...state, answers });
  },
  setSecrets(next: Partial<Secrets>) {
    const before = getSecrets();
    setSecrets(next);
    if (JSON.stringify(before) === JSON.stringify(getSecrets())) return;
    const answers = { ...state.answers, report: null };
    save(answers);
    emit({ ...state, answers, secretsVersion: state.secretsVersion + 1 });
  },
  clearSecrets() {
    clearSecrets();
    emit({ ...state, secretsVersion: state.secretsVersion + 1 });
  },
  setServerErrors(serverErrors: readonly FieldError[]) {
    emit({ ...state, serverErrors });
  },
  /** Drops the server's error for one field once the user edits it. */
  clearServerError(path: string) {
    if (!state.serverErrors.some((e) => e.path === path)) return;
    emit({ ...state, serverErrors: state.serverErrors.filter((e) => e.path !== path) });
  },
  setAutoVerify(autoVerify: AutoVerify) {
    if (state.autoVerify !== autoVerify) emit({ ...state, autoVerify });
  },
  reset() {
    clearSecrets();
    save(EMPTY_ANSWERS);
    emit({
      answers: EMPTY_ANSWERS,
      secretsVersion: state.secretsVersion + 1,
      serverErrors: [],
      autoVerify: null,
    });
  },
};

export function useWizard<T>(select: (s: State) => T): T {
  const snapshot = () => select(state);
  // The server renders the first screen (src/app/first-screen.tsx) from the same, untouched state.
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

export function useAnswers(): Answers {
  return useWizard((s) => s.answers);
}

/** The server's message for a request path, e.g. "roleArn" or "source.secretAccessKey". */
export function useServerError(path: string): string | undefined {
  return useWizard((s) => s.serverErrors.find((e) => e.path === path)?.message);
}
