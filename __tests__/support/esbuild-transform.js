'use strict';
// jest's transformer for the TypeScript sources: esbuild's transformSync, one file at a time, as ts-jest's
// transpile-only mode did (type-checking is `tsc --noEmit`, run once by `npm test`). On a cold cache (every
// fresh clone) ts-jest loaded TypeScript in every worker to transpile ~300 files: test:unit on a cold cache
// took 49.9 s with it, 44.7 s with esbuild (measured on this 2-core machine, one session). No test hoists
// jest.mock, which ts-jest would and esbuild does not.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const TSCONFIG = fs.readFileSync(path.join(__dirname, '..', '..', 'tsconfig.json'), 'utf8');
const SELF = fs.readFileSync(__filename, 'utf8');

module.exports = {
  process(source, filename) {
    const { code, map } = esbuild.transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      platform: 'node',
      sourcefile: filename,
      sourcemap: 'external',
      sourcesContent: false,
      // class names stay (messages name SDK commands by constructor name), and the tsconfig's options
      keepNames: true,
      tsconfigRaw: TSCONFIG,
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update(esbuild.version).update('\0').update(SELF).update('\0').update(TSCONFIG).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
};
