'use strict';
// `npm run mutation`: Stryker over the guardrails, the config rules and the AWS facts they use, one
// part at a time (stryker.config.mjs says why), then one score over all parts: detected (killed or
// timed out) / (detected + survived + not covered), as Stryker counts it. Fails below 85%.
// `npm run mutation -- rules` runs one part; the score then reads the other parts' last reports.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const PARTS = ['guardrails', 'rules', 'aws'];
const BREAK = 85;
const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set([...DETECTED, 'Survived', 'NoCoverage']);

const wanted = process.argv.slice(2);
const unknown = wanted.filter((part) => !PARTS.includes(part));
if (unknown.length > 0) {
  console.error(`error: unknown part ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`);
  process.exit(1);
}
for (const part of wanted.length > 0 ? wanted : PARTS) {
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, MUTATION_PART: part } });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

let detected = 0;
let counted = 0;
for (const part of PARTS) {
  const file = path.join(ROOT, 'reports/mutation', `${part}.json`);
  if (!fs.existsSync(file)) {
    console.error(`error: no report for part ${part} yet (${path.relative(ROOT, file)}): run npm run mutation -- ${part}`);
    process.exit(1);
  }
  const statuses = Object.values(JSON.parse(fs.readFileSync(file, 'utf8')).files).flatMap((entry) => entry.mutants.map((mutant) => mutant.status));
  const partCounted = statuses.filter((status) => COUNTED.has(status)).length;
  const partDetected = statuses.filter((status) => DETECTED.has(status)).length;
  console.log(`${part}: ${((100 * partDetected) / partCounted).toFixed(2)}% (${partDetected} of ${partCounted} mutants detected)`);
  detected += partDetected;
  counted += partCounted;
}
const score = (100 * detected) / counted;
console.log(`mutation score: ${score.toFixed(2)}% (${detected} of ${counted}); at least ${BREAK}% required`);
process.exit(score >= BREAK ? 0 : 1);
