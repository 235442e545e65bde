// One glyph per status, so pass/fail/warn/skipped never differ by colour alone (WCAG 1.4.1).
export type Tone = 'pass' | 'fail' | 'warn' | 'skipped' | 'info';

export const GLYPHS: Record<Tone, string> = { pass: '✓', fail: '✕', warn: '!', skipped: '–', info: '•' };
