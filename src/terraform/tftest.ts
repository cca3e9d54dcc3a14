import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTICLE } from '../defaults';
import { EnvironmentConfig } from '../environment/schema';
import { TerraformWorkdir, withoutDir } from './offline';

/** The committed `terraform test` suites (`*.tftest.hcl`). */
export const TFTEST_DIR = path.resolve(__dirname, '..', '..', 'tftest');

/**
 * The test file's variables default to the article's contract (port 1323, `/healthcheck`, tag `stg`).
 * An environment that differs on purpose passes its own values; an article-shaped one passes none.
 */
export function tftestVariables(config: EnvironmentConfig): Record<string, string> {
  const values: Record<string, string | number> = {
    tag_prefix: config.ecrLifecycle.tagPrefix ?? ARTICLE.ecrLifecycle.tagPrefix,
    container_port: config.taskDefinition.container.port ?? ARTICLE.container.port,
    health_check_path: config.targetGroup?.healthCheck?.path ?? ARTICLE.targetGroup.healthCheck.path,
  };
  const article: Record<string, string | number> = {
    tag_prefix: ARTICLE.ecrLifecycle.tagPrefix,
    container_port: ARTICLE.container.port,
    health_check_path: ARTICLE.targetGroup.healthCheck.path,
  };
  return Object.fromEntries(Object.entries(values).filter(([key, value]) => value !== article[key]).map(([key, value]) => [key, String(value)]));
}

/**
 * Sets values in a suite's `variables` block. (A test file's own `variables` win over `-var`, so the
 * environment's values are written into the copy that runs.)
 */
export function withVariables(suite: string, variables: Record<string, string>): string {
  return Object.entries(variables).reduce((text, [name, value]) => {
    const line = new RegExp(`^(\\s*${name}\\s*=\\s*).*$`, 'm');
    if (!line.test(text)) throw new Error(`the suite has no variable ${name}`);
    return text.replace(line, `$1${/^\d+$/.test(value) ? value : JSON.stringify(value)}`);
  }, suite);
}

export interface TftestResult {
  readonly passed: boolean;
  /** Terraform's report, temp paths removed. */
  readonly output: string;
}

/**
 * Runs the suites against one synthesized stack, offline: a temp copy of the stack, the provider
 * from the mirror, and `mock_provider "aws"` in the suites, so no AWS call and no credentials.
 */
export function runTerraformTests(stackDir: string, variables: Record<string, string> = {}, testDir = TFTEST_DIR): TftestResult {
  const workdir = TerraformWorkdir.fromStack(stackDir);
  try {
    fs.cpSync(testDir, path.join(workdir.dir, 'tftest'), { recursive: true });
    for (const file of fs.readdirSync(path.join(workdir.dir, 'tftest')).filter((name) => name.endsWith('.tftest.hcl'))) {
      const target = path.join(workdir.dir, 'tftest', file);
      fs.writeFileSync(target, withVariables(fs.readFileSync(target, 'utf8'), variables));
    }
    workdir.init();
    const args = ['test', '-test-directory=tftest', '-no-color'];
    try {
      return { passed: true, output: withoutDir(workdir.run(...args), workdir.dir) };
    } catch (error) {
      return { passed: false, output: withoutDir((error as Error).message, workdir.dir) };
    }
  } finally {
    workdir.dispose();
  }
}
