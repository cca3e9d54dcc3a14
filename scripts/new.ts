// `npm run new -- <name>`: writes environments/<name>.json, the least a team fills in, with placeholders,
// and the names of what the stack creates derived from <name> (family, cluster, service, target group).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENVIRONMENTS_DIR, STACK_NAME, STACK_NAME_RULE } from '../src/environment/sources';
import { newEnvironmentFile } from '../src/environment/template';

function main(argv: readonly string[]): string {
  if (argv.length !== 1 || argv[0].startsWith('-')) throw new Error('usage: npm run new -- <name>   (writes environments/<name>.json; <name> becomes the stack name)');
  const [name] = argv;
  if (!STACK_NAME.test(name)) throw new Error(`"${name}": the name is the stack name, so it ${STACK_NAME_RULE}`);
  const file = path.posix.join(ENVIRONMENTS_DIR, `${name}.json`);
  if (fs.existsSync(file)) throw new Error(`${file} exists already; nothing was written`);
  // Before anything is written: a name too long for what it names is a one-line error.
  const contents = `${JSON.stringify(newEnvironmentFile(name), null, 2)}\n`;
  fs.mkdirSync(ENVIRONMENTS_DIR, { recursive: true });
  fs.writeFileSync(file, contents, { flag: 'wx' });
  return file;
}

try {
  const file = main(process.argv.slice(2));
  console.log(`wrote ${file}: replace each "REPLACE: …" value, then run npm run synth -- ${path.basename(file, '.json')}`);
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exitCode = 1;
}
