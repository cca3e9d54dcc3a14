// `npm run docs`: writes docs/environment-file.md, the environment file's reference, from the zod schema
// (through the editor JSON Schema, as `npm run schema` writes it). `npm run docs -- --check` writes nothing
// and exits 1 when the committed file is stale, naming it and this command: the same check `npm test` runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { environmentFileReference, ENVIRONMENT_FILE_REFERENCE, staleReference } from '../src/synth/environment-file-reference';
import { runCommand } from './command';

const ROOT = path.resolve(__dirname, '..');

function main(argv: readonly string[]): void {
  const { values } = parseArgs({ args: [...argv], options: { check: { type: 'boolean', default: false } }, strict: true });
  const file = path.join(ROOT, ENVIRONMENT_FILE_REFERENCE);
  const generated = environmentFileReference();
  if (values.check) {
    const stale = staleReference(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined, generated);
    if (stale !== undefined) throw new Error(stale);
    console.log(`${ENVIRONMENT_FILE_REFERENCE} is current`);
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, generated);
  console.log(`wrote ${ENVIRONMENT_FILE_REFERENCE}`);
}

if (require.main === module) runCommand(main);
