import type { TestProject } from 'vitest/node';
import { chooseSeed, seedLine } from './fast-check-seed.ts';

// Vitest globalSetup: runs once per run, in the main process, before any test file. It picks the
// run's fast-check seed, prints it once, and hands it to every test file (fast-check-setup.ts).

declare module 'vitest' {
  export interface ProvidedContext {
    fcSeed: number;
  }
}

export function setup(project: TestProject): void {
  const choice = chooseSeed(process.env);
  console.log(seedLine(choice));
  project.provide('fcSeed', choice.seed);
}
