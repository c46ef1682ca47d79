// `npm run demo`: generate a small multi-provider corpus, ingest it, trace calls, print.
// The stages land one by one; this skeleton prints what the current build can do.
import { main } from './main.ts';

process.exitCode = await main(['help']) === 2 ? 0 : 0;
