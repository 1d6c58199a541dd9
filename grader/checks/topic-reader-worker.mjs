// A worker thread starts without the grader's TypeScript loader: this entry brings it in, then
// runs the reader (topic-reader-worker.ts).
import { tsImport } from 'tsx/esm/api';

await tsImport('./topic-reader-worker.ts', import.meta.url);
