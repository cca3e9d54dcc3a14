'use strict';
// `npm run synth` (and the cdktf CLI's app): runs main.ts from one bundled file, built by esbuild
// (transpile-only, no type-check) and cached by the content of the sources and the lockfile.
// Loading ~550 modules one by one costs ~0.2 s more than one bundle. Without esbuild (a production
// install), it falls back to the per-file transpiler, scripts/register-ts.js.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'synth-bundle');

/** main.ts and every .ts under src/, in a stable order. */
function sources() {
  const found = [path.join(root, 'main.ts')];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) found.push(full);
    }
  };
  walk(path.join(root, 'src'));
  return found;
}

function bundleKey() {
  const hash = crypto.createHash('sha1');
  for (const file of [...sources(), path.join(root, 'package-lock.json')]) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** The cached bundle, built if missing; undefined when esbuild is not installed. */
function bundle() {
  const file = path.join(cacheDir, `${bundleKey()}.js`);
  if (fs.existsSync(file)) return file;
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    return undefined;
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  // Write then rename, so that synths running at once never load half a bundle; drop older bundles.
  const partial = `${file}.${process.pid}.tmp`;
  esbuild.buildSync({ entryPoints: [path.join(root, 'main.ts')], bundle: true, platform: 'node', target: 'node20', outfile: partial, logLevel: 'error' });
  fs.renameSync(partial, file);
  for (const old of fs.readdirSync(cacheDir)) if (old.endsWith('.js') && path.join(cacheDir, old) !== file) fs.rmSync(path.join(cacheDir, old), { force: true });
  return file;
}

const built = bundle();
if (built) {
  require(built);
} else {
  require('./register-ts');
  require('../main.ts');
}
