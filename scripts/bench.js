'use strict';
// `npm run bench`: median wall time and peak RSS of `npm run synth`, against the targets in DEVELOPERS.md.
// Peak RSS comes from GNU time (wait4 rusage: the largest process of the npm → node tree).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_SECONDS = 1.0;
const TARGET_MB = 200;
const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function runOnce() {
  const command = gnuTime ? [gnuTime, '-f', 'maxrss_kb=%M', 'npm', 'run', '--silent', 'synth'] : ['npm', 'run', '--silent', 'synth'];
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error('npm run synth failed');
  }
  const match = /maxrss_kb=(\d+)/.exec(result.stderr);
  return { seconds, megabytes: match ? Number(match[1]) / 1024 : NaN };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

runOnce(); // warm-up: fills the transpile cache and the file system cache
const samples = Array.from({ length: RUNS }, runOnce);
const wall = median(samples.map((sample) => sample.seconds));
const peak = Math.max(...samples.map((sample) => sample.megabytes));
const verdict = (ok) => (ok ? 'ok' : 'OVER TARGET');

console.log(`npm run synth, ${RUNS} runs after one warm-up`);
console.log(`  median wall: ${wall.toFixed(3)} s   (target ≤ ${TARGET_SECONDS} s: ${verdict(wall <= TARGET_SECONDS)})`);
console.log(`  min / max:   ${Math.min(...samples.map((s) => s.seconds)).toFixed(3)} / ${Math.max(...samples.map((s) => s.seconds)).toFixed(3)} s`);
if (Number.isNaN(peak)) console.log('  peak RSS:    unavailable (no /usr/bin/time)');
else console.log(`  peak RSS:    ${peak.toFixed(0)} MB (target ≤ ${TARGET_MB} MB: ${verdict(peak <= TARGET_MB)})`);
process.exitCode = wall <= TARGET_SECONDS && !(peak > TARGET_MB) ? 0 : 1;
