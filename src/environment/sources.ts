import * as fs from 'node:fs';
import * as path from 'node:path';

/** The team's environment files: `environments/<stack>.json`. */
export const ENVIRONMENTS_DIR = 'environments';
/** The committed examples, synthesized while `environments/` holds no environment file. */
export const EXAMPLES_DIR = 'examples';

/** `<stack>.json`, but not a JSON Schema (`*.schema.json`). */
export function isEnvironmentFileName(name: string): boolean {
  return name.endsWith('.json') && !name.endsWith('.schema.json');
}

/** A file name is the stack name, so it must make one (cdktf stack IDs, Terraform-friendly directories). */
export const STACK_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
export const STACK_NAME_RULE = 'must start with a letter and hold only letters, digits, "-" and "_"';

/** The environment files of `dir`, sorted; throws when `dir` cannot be read. */
export function environmentFileNames(dir: string): string[] {
  return fs.readdirSync(dir).filter(isEnvironmentFileName).sort();
}

/** The editor schema `npm run schema` writes beside the environment files. */
export const EDITOR_SCHEMA_FILE = 'environment.schema.json';

/**
 * Files of `dir` that look like environment files but are not read, each with why and the fix:
 * `stg.JSON`, `stg.json ` (a trailing space), `x.schema.json`. Without a word, a team would wonder
 * where its stack went.
 */
export function lookalikeFileNames(dir: string): { name: string; reason: string }[] {
  return fs
    .readdirSync(dir)
    .filter((name) => !isEnvironmentFileName(name) && name !== EDITOR_SCHEMA_FILE && /\.json$/i.test(name.trim()))
    .sort()
    .map((name) => {
      const fixed = `${name.trim().slice(0, -'.json'.length)}.json`;
      if (name !== name.trim()) return { name, reason: `its name has spaces around it; rename it to "${fixed}" to have it read` };
      if (!name.endsWith('.json')) return { name, reason: `environment files end in ".json", in lower case; rename it to "${fixed}" to have it read` };
      return { name, reason: 'a "*.schema.json" file is a JSON Schema, not an environment; rename it if it is one' };
    });
}

/**
 * Points every command (synth, plan, deploy, review, buildspec, previews, wake, tftest) at another
 * directory of environment files, e.g. `STAGING_ENVIRONMENTS_DIR=examples npm run wake -- preview`:
 * the kit's own tests of the examples name them this way, so a team's `environments/` never
 * changes what those tests see. Relative to the working directory.
 */
export const ENVIRONMENTS_DIR_VARIABLE = 'STAGING_ENVIRONMENTS_DIR';

export interface EnvironmentSource {
  /** The directory synth reads. */
  readonly dir: string;
  /** True when that is the examples, because the team's directory holds no environment file yet. */
  readonly examples: boolean;
}

/**
 * Which files `npm run synth` reads: the directory `STAGING_ENVIRONMENTS_DIR` names, if set; else the
 * team's `environments/` as soon as it holds one environment file, else the examples, so that a fresh
 * clone synthesizes something and a team's stacks never sit beside the examples' (whose account,
 * 123456789012, is not theirs).
 */
export function environmentSource(root = '.', variables: NodeJS.ProcessEnv = process.env): EnvironmentSource {
  const chosen = variables[ENVIRONMENTS_DIR_VARIABLE];
  if (chosen) return { dir: path.isAbsolute(chosen) ? chosen : path.join(root, chosen), examples: false };
  const own = path.join(root, ENVIRONMENTS_DIR);
  let names: string[] = [];
  try {
    names = environmentFileNames(own);
  } catch {
    // no environments/ at all: the examples
  }
  return names.length > 0 ? { dir: own, examples: false } : { dir: path.join(root, EXAMPLES_DIR), examples: true };
}
