// The worker thread's entry: Node 20 does not pass `--import tsx` on to workers, so the
// TypeScript loader is registered here before the load generator is imported.
import { register } from 'tsx/esm/api';

register();
await import('./slack-load.ts');
