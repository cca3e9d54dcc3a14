'use strict';
// `npm run synth` (and the cdktf CLI's app): runs main.ts from one bundled file, built by esbuild
// (transpile-only, no type-check) and cached by the content of the sources and the lockfile, with
// V8's code cache beside it. Loading ~550 modules one by one costs ~0.3 s more. Without esbuild (a
// production install), it falls back to the per-file transpiler, scripts/register-ts.js.
const crypto = require('node:crypto');
const v8 = require('node:v8');

// V8 pretenures an allocation site (allocates its objects straight in the old generation) once nearly
// all of them survive a scavenge. Building many stacks keeps every construct alive, so V8 pretenures
// sites that cdktf's resolve then also uses for short-lived objects; those die in the old generation
// still pointing at young ones, and every scavenge promotes nearly everything until the next full GC.
// Measured on 100 environments: 1.7 s and 230 MB in two runs of three, 1.2 s and 126 MB otherwise;
// with pretenuring off, 1.2 s and 126 MB every run. Set before the bundle is compiled (the flag is
// part of what V8 checks a code cache against), and read by the GC alone.
v8.setFlagsFromString('--no-allocation-site-pretenuring');
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

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
  // the build options below are part of the key: a change to them rebuilds
  for (const file of [...sources(), path.join(root, 'package-lock.json'), __filename]) {
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
  esbuild.buildSync({
    entryPoints: [path.join(root, 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: partial,
    logLevel: 'error',
    // 2.5 MB instead of 3.7: ~50 ms less to read and deserialize (measured, 0.49 -> 0.44 s for the
    // examples). Names are kept, so messages that name a construct's class are unchanged.
    minifyWhitespace: true,
    minifySyntax: true,
    // its "main" is a UMD build whose require() calls a bundler cannot follow; its ESM build has none
    alias: { 'jsonc-parser': path.join(path.dirname(require.resolve('jsonc-parser/package.json')), 'lib', 'esm', 'main.js') },
  });
  fs.renameSync(partial, file);
  for (const old of fs.readdirSync(cacheDir)) if (!old.startsWith(path.basename(file, '.js'))) fs.rmSync(path.join(cacheDir, old), { force: true });
  return file;
}

/**
 * Runs the bundle as Node would run a CommonJS file, but compiled with V8's code cache (`.v8cache`
 * beside it): parsing and compiling 3 MB of JavaScript is most of what is left of a synth's time.
 * V8 rejects a cache from another version or another set of flags; a fresh one is then written.
 */
function runWithCodeCache(file) {
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(wrapper, { filename: file, cachedData });
  const module = { exports: {}, filename: file };
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the cache also holds the functions the run compiled.
    process.once('exit', () => {
      try {
        const partial = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(partial, script.createCachedData());
        fs.renameSync(partial, cacheFile);
      } catch {
        // a read-only tree still synthesizes, only slower
      }
    });
  }
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
}

const built = bundle();
if (built) {
  runWithCodeCache(built);
} else {
  require('./register-ts');
  require('../main.ts');
}
