// `npm run buildspec -- [stack] [--out buildspec.yml]`: writes the CodeBuild buildspec of
// environments/<stack>.json (default stack "stg", default output ./buildspec.yml).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvironmentFile } from '../src/environment/load';
import { renderBuildspec } from '../src/pipeline/buildspec';
import { buildspecPropsFor } from '../src/pipeline/from-environment';

function main(argv: readonly string[]): void {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { out: { type: 'string', default: 'buildspec.yml' } },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new Error(`expected one stack name, got ${positionals.length}: ${positionals.join(' ')}`);
  const stack = positionals[0] ?? 'stg';
  // Relative to the working directory, so the header names the file as the repository does.
  const file = path.posix.join('environments', `${stack}.json`);
  const loaded = loadEnvironmentFile(file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\nerror: '));
  let text: string;
  try {
    text = renderBuildspec(buildspecPropsFor(loaded.environment.config, file));
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith(file) ? message : `${file}: ${message}`);
  }
  fs.writeFileSync(values.out, text);
  console.log(`wrote ${values.out} from ${file}`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
