import path from 'node:path';
import type { DataLayout } from '../storage/layout.ts';

/** Where a data directory keeps fetched STI certificates (x5u cache). */
export const stirCacheDir = (layout: DataLayout): string => path.join(layout.root, 'stir-cache');
