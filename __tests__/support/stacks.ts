import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../../src/synth/synth';
import { FIXTURE_ENVIRONMENTS_DIR } from './paths';

/**
 * Synthesizes the fixture environments (or those of `environmentsDir`) into a fresh temp dir; returns each stack's directory.
 * Guardrail warnings are expected for some fixtures (the article's public endpoint); tests that
 * care about them call `synthesize` themselves.
 */
export function synthesizeFixtures(environmentsDir = FIXTURE_ENVIRONMENTS_DIR): Record<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-out-'));
  const errors: string[] = [];
  const result = synthesize({ environmentsDir, outdir, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined });
  if (result.exitCode !== 0) throw new Error(errors.join('\n'));
  return Object.fromEntries(result.stacks.map((stack) => [stack.node.id, path.join(outdir, 'stacks', stack.node.id)]));
}
