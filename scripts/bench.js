'use strict';
// `npm run bench`: the synth figures DEVELOPERS.md sets targets for, measured in one run, as ratios
// (this machine's speed varies up to 2× from minute to minute, so only ratios measured together compare):
// - `npm run synth` (the examples) against `node -e 'require("cdktf")'`: ≤ 2.5×, and ≤ 200 MB peak RSS;
// - synth of 1, 10 and 100 generated environments (copies of examples/stg.json): 100 ≤ 3.5× one;
// - and, for the previews issue, examples/stg.json with 20 open previews (no target: reported);
// - then the test loop: median of BENCH_TEST_RUNS (3) runs each of `npm run test:unit` (≤ 30 s) and
//   `npm test` (≤ 150 s, with CI=true, the emulator suite required), unless `-- --synth-only`.
// Peak RSS comes from GNU time (wait4 rusage: the largest process of the tree).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGETS = { requireRatio: 2.5, megabytes: 200, scaleRatio: 3.5, unitSeconds: 30, testSeconds: 150 };
const TEST_RUNS = Number(process.env.BENCH_TEST_RUNS ?? 3);
const SYNTH_ONLY = process.argv.includes('--synth-only');
const ROOT = path.join(__dirname, '..');
const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One run of a command: wall seconds and peak RSS (MB). */
function runOnce(command, cwd = ROOT, env = {}) {
  const argv = gnuTime ? [gnuTime, '-f', 'maxrss_kb=%M', ...command] : command;
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`${command.join(' ')} failed in ${cwd}`);
  }
  const match = /maxrss_kb=(\d+)/.exec(result.stderr);
  return { seconds, megabytes: match ? Number(match[1]) / 1024 : NaN };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** A project directory with `count` environments derived from examples/stg.json, each with its own names, host and priority band. */
function generatedProject(count) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stg-bench-${count}-`));
  fs.mkdirSync(path.join(dir, 'environments'));
  const stg = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'stg.json'), 'utf8'));
  delete stg.$schema;
  // staging environments alone: a hundred with previews would overrun one ALB's budget
  delete stg.previews;
  delete stg.backend;
  for (let i = 1; i <= count; i++) {
    const env = structuredClone(stg);
    const name = `env${i}`;
    env.taskDefinition.family = `${name}-server`;
    env.taskDefinition.container.image = env.taskDefinition.container.image.replace('/stg-server:', `/${name}-server:`);
    env.targetGroup.name = `${name}-target`;
    env.cluster = { ...env.cluster, name: `${name}_cluster` };
    env.service.name = `${name}-server`;
    env.listenerRule.priority = 1000 + i * 10;
    env.listenerRule.hostHeader = `${name}.example.com`;
    env.dnsRecord.name = `${name}.example.com`;
    env.ecrLifecycle.repository = `${name}-server`;
    fs.writeFileSync(path.join(dir, 'environments', `${name}.json`), JSON.stringify(env, null, 2));
  }
  return dir;
}

/** Median wall and peak RSS of RUNS runs, after one warm-up (transpile cache, file system cache). */
function measure(label, command, cwd) {
  runOnce(command, cwd);
  const samples = Array.from({ length: RUNS }, () => runOnce(command, cwd));
  const result = { label, seconds: median(samples.map((s) => s.seconds)), megabytes: Math.max(...samples.map((s) => s.megabytes)) };
  console.log(`  ${label.padEnd(36)} ${result.seconds.toFixed(3)} s  ${Number.isNaN(result.megabytes) ? '   n/a' : `${result.megabytes.toFixed(0).padStart(4)} MB`}`);
  return result;
}

const synth = ['node', path.join(ROOT, 'scripts', 'synth.js')];
console.log(`median of ${RUNS} runs after one warm-up, all in this run:`);
const baseline = measure(`node -e 'require("cdktf")'`, ['node', '-e', 'require("cdktf")']);
const examples = measure('npm run synth (the examples)', ['npm', 'run', '--silent', 'synth']);
const projects = [1, 10, 100].map((count) => [count, generatedProject(count)]);
const scale = projects.map(([count, dir]) => ({ count, ...measure(`synth of ${count} generated environment${count === 1 ? '' : 's'}`, synth, dir) }));
for (const [, dir] of projects) fs.rmSync(dir, { recursive: true, force: true });
// examples/stg.json as written, with a band of 20 and all 20 slots open
const previewsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-bench-previews-'));
fs.mkdirSync(path.join(previewsDir, 'environments'));
const withPreviews = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'stg.json'), 'utf8'));
delete withPreviews.$schema;
withPreviews.previews.maxOpen = 20;
fs.writeFileSync(path.join(previewsDir, 'environments', 'stg.json'), JSON.stringify(withPreviews, null, 2));
const twenty = Array.from({ length: 20 }, (_, i) => i + 1).join(',');
const previews = measure('stg with 20 open previews', ['env', `PREVIEW_PULL_REQUESTS=${twenty}`, ...synth], previewsDir);
fs.rmSync(previewsDir, { recursive: true, force: true });

const verdict = (ok) => (ok ? 'ok' : 'OVER TARGET');
const requireRatio = examples.seconds / baseline.seconds;
const scaleRatio = scale[2].seconds / scale[0].seconds;
console.log('\nratios (targets from DEVELOPERS.md):');
console.log(`  npm run synth / require("cdktf"):    ${requireRatio.toFixed(2)}×  (≤ ${TARGETS.requireRatio}×: ${verdict(requireRatio <= TARGETS.requireRatio)})`);
console.log(`  npm run synth peak RSS:              ${examples.megabytes.toFixed(0)} MB (≤ ${TARGETS.megabytes} MB: ${verdict(!(examples.megabytes > TARGETS.megabytes))})`);
console.log(`  10 environments / 1:                 ${(scale[1].seconds / scale[0].seconds).toFixed(2)}×`);
console.log(`  100 environments / 1:                ${scaleRatio.toFixed(2)}×  (≤ ${TARGETS.scaleRatio}×: ${verdict(scaleRatio <= TARGETS.scaleRatio)})`);
console.log(`  stg + 20 previews / 1 environment:   ${(previews.seconds / scale[0].seconds).toFixed(2)}×`);
let testsOk = true;
if (!SYNTH_ONLY) {
  // No warm-up: the first run pays what a fresh clone's first `npm test` pays (jest's transform cache), as CI does.
  const timeTests = (label, script) => {
    const samples = Array.from({ length: TEST_RUNS }, () => runOnce(['npm', 'run', '--silent', script], ROOT, { CI: 'true', STAGING_REQUIRE_AWS_EMULATOR: 'true' }).seconds);
    const seconds = median(samples);
    console.log(`  ${label.padEnd(36)} ${seconds.toFixed(1)} s  (runs: ${samples.map((s) => s.toFixed(1)).join(', ')})`);
    return seconds;
  };
  console.log(`\ntest loop, median of ${TEST_RUNS} run${TEST_RUNS === 1 ? '' : 's'}:`);
  const unit = timeTests('npm run test:unit', 'test:unit');
  const full = timeTests('npm test', 'test');
  console.log(`  npm run test:unit:                   ${unit.toFixed(1)} s  (≤ ${TARGETS.unitSeconds} s: ${verdict(unit <= TARGETS.unitSeconds)})`);
  console.log(`  npm test:                            ${full.toFixed(1)} s  (≤ ${TARGETS.testSeconds} s: ${verdict(full <= TARGETS.testSeconds)})`);
  testsOk = unit <= TARGETS.unitSeconds && full <= TARGETS.testSeconds;
}
process.exitCode = requireRatio <= TARGETS.requireRatio && !(examples.megabytes > TARGETS.megabytes) && scaleRatio <= TARGETS.scaleRatio && testsOk ? 0 : 1;
