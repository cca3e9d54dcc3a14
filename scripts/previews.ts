// `npm run previews -- list [<stack>]` and `npm run previews -- destroy <stack> <number>`: the previews
// as people see them, from the same place the reaper looks (the state bucket), and the same destroy
// the pull request's close runs (scripts/preview-build.sh). Both need AWS credentials; destroy needs Terraform.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { resolvePreview } from '../src/environment/previews';
import { previewBuildspecObject } from '../src/pipeline/preview-buildspec';
import { previewBuildspecPropsFor } from '../src/stack/staging-previews';
import { runCommand } from './command';
import { loadStack, stackNames } from './environment-files';

const USAGE = 'usage: npm run previews -- list [<stack>] | destroy <stack> <number>';

/** The environments with previews: name → config and the build's variables. */
function environments(only?: string) {
  return (only === undefined ? stackNames().names : [only])
    .flatMap((name) => {
      const { file, config } = loadStack(name);
      if (!config.previews) {
        if (only !== undefined) throw new Error(`${file}: previews: the environment has no previews section`);
        return [];
      }
      const variables = previewBuildspecObject({ ...previewBuildspecPropsFor(name, config, file), infraSourceIdentifier: 'infra' }).env.variables;
      return [{ name, config, variables }];
    });
}

function aws(args: string[]): string {
  const run = spawnSync('aws', args, { encoding: 'utf8' });
  if (run.error || run.status !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')} failed: ${(run.stderr || String(run.error)).trim()}`);
  return run.stdout;
}

function list(only?: string): void {
  for (const { name, config, variables } of environments(only)) {
    const listing = aws(['s3api', 'list-objects-v2', '--bucket', variables.PREVIEW_STATE_BUCKET, '--prefix', `${variables.PREVIEW_STATE_PREFIX}/`, '--query', 'Contents[].[Key,LastModified]', '--output', 'text']);
    const rows = listing.split('\n').map((line) => line.split('\t')).filter(([key]) => key && key !== 'None');
    const closed = new Set(rows.filter(([key]) => key.endsWith('.closed')).map(([key]) => /pr-(\d+)\./.exec(key)?.[1]));
    const states = rows.filter(([key]) => /pr-\d+\.tfstate$/.test(key));
    console.log(`${name}: ${states.length} preview state(s), destroyed after ${config.previews!.ttlDays} days without a deploy`);
    for (const [key, modified] of states) {
      const number = Number(/pr-(\d+)\.tfstate$/.exec(key)![1]);
      const preview = resolvePreview(name, config, number);
      console.log(`  PR ${number}  https://${preview.host}  priority ${preview.priorities.join(',')}  last written ${modified}${closed.has(String(number)) ? '  (closed: destroy pending)' : ''}`);
    }
  }
}

function destroy(stack: string, number: string): void {
  if (!/^\d{1,9}$/.test(number)) throw new Error(`${USAGE}: the number must be a pull request number`);
  const [{ variables }] = environments(stack);
  const run = spawnSync('bash', [path.join(__dirname, 'preview-build.sh')], {
    stdio: 'inherit',
    env: { ...process.env, ...variables, PREVIEW_INFRA_DIR: path.join(__dirname, '..'), PREVIEW_ACTION: 'destroy', PREVIEW_NUMBER: number },
  });
  if (run.status !== 0) throw new Error(`destroying ${stack}-pr-${number} failed (exit ${run.status}); run it again, or let the reaper finish it`);
}

function main(argv: readonly string[]): void {
  const [command, ...rest] = argv;
  if (command === 'list' && rest.length <= 1) return list(rest[0]);
  if (command === 'destroy' && rest.length === 2) return destroy(rest[0], rest[1]);
  throw new Error(USAGE);
}

if (require.main === module) runCommand(main);
