import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The package's own version, from its package.json (one folder above dist/ and src/). */
export const version: string = (require('../package.json') as { version: string }).version;
