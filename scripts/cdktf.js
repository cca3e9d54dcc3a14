'use strict';
// `npm run plan -- <stack>` and `npm run deploy -- <stack>`: synthesize that one stack (a teammate's
// broken file is then only a warning), then run the cdktf CLI on it without a second synth.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const [command, ...args] = process.argv.slice(2);
const stacks = args.filter((arg) => !arg.startsWith('-'));
if (!['diff', 'deploy', 'destroy'].includes(command) || stacks.length !== 1) {
  console.error(`usage: npm run ${command === 'diff' ? 'plan' : command ?? 'plan'} -- <stack> [cdktf options, e.g. --auto-approve]`);
  process.exit(1);
}
const run = (file, argv) => spawnSync(file, argv, { cwd: root, stdio: 'inherit' }).status ?? 1;
const synth = run(process.execPath, [path.join(__dirname, 'synth.js'), stacks[0]]);
if (synth !== 0) process.exit(synth);
process.exit(run(path.join(root, 'node_modules', '.bin', 'cdktf'), [command, ...args, '--skip-synth']));
