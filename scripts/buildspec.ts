// `npm run buildspec -- <stack> [--out <file>]`: writes the CodeBuild buildspec of that stack's
// environment file (default output cdktf.out/buildspec/<stack>.yml, which git ignores).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvironmentFile } from '../src/environment/load';
import { environmentFileNames, environmentSource } from '../src/environment/sources';
import { renderBuildspec } from '../src/pipeline/buildspec';
import { buildspecPropsFor } from '../src/stack/buildspec-props';
import { runCommand } from './command';

const USAGE = 'usage: npm run buildspec -- <stack> [--out <file>]';

function main(argv: readonly string[]): void {
  const { values, positionals } = parseArgs({ args: [...argv], options: { out: { type: 'string' } }, allowPositionals: true });
  const source = environmentSource();
  // Relative to the working directory, so the header names the file as the repository does.
  const dir = path.relative('.', source.dir).split(path.sep).join('/');
  const stacks = environmentFileNames(source.dir).map((name) => path.basename(name, '.json'));
  if (positionals.length !== 1) throw new Error(`${USAGE}; the stacks of ${dir}/ are: ${stacks.join(', ')}`);
  const [stack] = positionals;
  if (!stacks.includes(stack)) throw new Error(`no stack "${stack}"; the stacks of ${dir}/ are: ${stacks.join(', ')}`);
  const file = `${dir}/${stack}.json`;
  const loaded = loadEnvironmentFile(file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\nerror: '));
  if (!loaded.environment.config.pipeline) throw new Error(`${file}: pipeline: the environment has no pipeline section, so it has no buildspec; nothing was written`);
  let text: string;
  try {
    text = renderBuildspec(buildspecPropsFor(loaded.environment.config, file));
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith(file) ? message : `${file}: ${message}`);
  }
  const out = values.out ?? path.join('cdktf.out', 'buildspec', `${stack}.yml`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  console.log(`wrote ${out} from ${file}`);
}

if (require.main === module) runCommand(main);
