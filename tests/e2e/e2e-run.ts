import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Names one run of the e2e suite, so work shared by its files (the Firefox build) is done once in it. */
    e2eRun: string;
  }
}

export function setup(project: TestProject): void {
  project.provide('e2eRun', `${process.pid}-${Date.now()}`);
}
