import type { TestProject } from 'vitest/node';
import { startSwift, type SwiftEndpoint } from './swift.js';

// Why: one Swift for the whole `s3` project (it takes ~3 s and ~250 MiB), stopped after the run.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const swift = await startSwift();
  project.provide('swift', {
    endpoint: swift.endpoint,
    accessKeyId: swift.accessKeyId,
    secretAccessKey: swift.secretAccessKey,
  });
  return () => swift.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    swift: SwiftEndpoint;
  }
}
