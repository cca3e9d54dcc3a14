'use strict';
// Transpile-only loader for `.ts` files, so synth never type-checks (tsc --noEmit runs in `npm test`);
// a command script run with it (the main module under scripts/) runs from a cached bundle, see below.
// Output is cached by content hash; TypeScript itself (~0.4 s to load) is required only on a cache miss.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const cacheDir = path.join(__dirname, '..', 'node_modules', '.cache', 'register-ts');
let ts;

function transpile(source, filename) {
  const key = crypto.createHash('sha1').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // cache miss: fall through
  }
  ts ??= require('typescript');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      inlineSourceMap: true,
    },
  });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Write then rename: processes running at once (npm test spawns several) never read half a file.
    const partial = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(partial, outputText);
    fs.renameSync(partial, cached);
  } catch {
    // a read-only tree still synthesizes, only slower
  }
  return outputText;
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};

// A command (`node -r ./scripts/register-ts.js scripts/<name>.ts`, as package.json and the tests run
// them) runs from one esbuild bundle of the script and everything it imports, cached in
// node_modules/.cache/script-bundles with V8's code cache beside it, as scripts/synth.js runs main.ts:
// resolving and loading several hundred small files one by one (zod, cdktf, the AWS SDK clients) costs
// ~0.2 s of each run. The bundle is named by the content of every file it was built from (the list
// esbuild reported, kept beside it), the lockfile and this file; a change to any of them rebuilds it.
// Without esbuild (a production install), the per-file transpiler above runs the script.
const root = path.join(__dirname, '..');
const main = process.argv[1];
if (require.main === undefined && typeof main === 'string' && main.endsWith('.ts') && path.dirname(main) === __dirname && !process.env.STAGING_NO_BUNDLE) {
  const transpileTs = require.extensions['.ts'];
  require.extensions['.ts'] = (module, filename) => {
    const built = filename === main && module.id === '.' ? scriptBundle(main) : undefined;
    if (built) runBundle(built, module);
    else transpileTs(module, filename);
  };
}

function contentKey(files) {
  const hash = crypto.createHash('sha1');
  for (const file of [...files, path.join(root, 'package-lock.json'), __filename]) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function writeAtomically(file, content) {
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, content);
  fs.renameSync(partial, file);
}

/** The cached bundle of `entry`, built if missing or stale; undefined when esbuild is not installed. */
function scriptBundle(entry) {
  const dir = path.join(root, 'node_modules', '.cache', 'script-bundles');
  const name = path.basename(entry, '.ts');
  const inputsFile = path.join(dir, `${name}.inputs.json`);
  try {
    const file = path.join(dir, `${name}-${contentKey(JSON.parse(fs.readFileSync(inputsFile, 'utf8')).map((input) => path.join(root, input)))}.js`);
    if (fs.existsSync(file)) return file;
  } catch {
    // no list yet, or a file on it is gone: build
  }
  try {
    require.resolve('esbuild');
  } catch {
    return undefined;
  }
  fs.mkdirSync(dir, { recursive: true });
  const partial = path.join(dir, `${name}.${process.pid}.tmp.js`);
  // esbuild runs plugins (ownDirname) only in its asynchronous API: the build is a node of its own
  const build = require('node:child_process').spawnSync(process.execPath, [__filename, '--bundle', entry, partial], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (build.status !== 0) throw new Error(`esbuild could not bundle ${path.relative(root, entry)}`);
  const inputs = JSON.parse(build.stdout);
  const key = contentKey(inputs.map((input) => path.join(root, input)));
  const file = path.join(dir, `${name}-${key}.js`);
  fs.renameSync(partial, file);
  writeAtomically(inputsFile, JSON.stringify(inputs));
  for (const old of fs.readdirSync(dir)) if (old.startsWith(`${name}-`) && !old.startsWith(`${name}-${key}`)) fs.rmSync(path.join(dir, old), { force: true });
  return file;
}

async function buildBundle(entry, outfile) {
  const result = await require('esbuild').build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'error',
    metafile: true,
    // class names as written: messages name a command by its constructor's name (GetCallerIdentityCommand)
    keepNames: true,
    minifyWhitespace: true,
    minifySyntax: true,
    // its "main" is a UMD build whose require() calls a bundler cannot follow; its ESM build has none
    alias: { 'jsonc-parser': path.join(path.dirname(require.resolve('jsonc-parser/package.json')), 'lib', 'esm', 'main.js') },
    plugins: [ownDirname],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.split('/').includes('node_modules')).sort();
  process.stdout.write(JSON.stringify(inputs));
}

/** Each of the project's files keeps its own __dirname and __filename in the bundle (paths next to a source, the .cache of review). */
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.split(path.sep).includes('node_modules')) return undefined;
      const source = fs.readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return { contents: source, loader: 'ts' };
      return { contents: `var __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)};${source}`, loader: 'ts' };
    });
  },
};

/** Runs the bundle as the main module (require.main === module holds), compiled with V8's code cache (`.v8cache` beside it). */
function runBundle(file, module) {
  const vm = require('node:vm');
  const { createRequire } = require('node:module');
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(wrapper, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        writeAtomically(cacheFile, script.createCachedData());
      } catch {
        // a read-only tree still runs, only slower
      }
    });
  }
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
}

if (require.main === module && process.argv[2] === '--bundle') {
  buildBundle(process.argv[3], process.argv[4]).catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
