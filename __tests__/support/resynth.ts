import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesize } from '../../src/synth/synth';
import { snapshot, tempProject } from './environments';

type Project = ReturnType<typeof tempProject>;

/** What a synth over a previous one's output printed, and whether it left cdktf.out as it was. */
export interface Resynth {
  readonly exitCode: number;
  readonly errors: string[];
  readonly warnings: string[];
  /** cdktf.out byte for byte as before this synth. */
  readonly untouched: boolean;
  readonly before: Record<string, string>;
}

/** Writes `config` as the project's `<stack>.json` and synthesizes the project over its existing cdktf.out. */
export function resynth(project: Project, stack: string, config: Record<string, any>): Resynth {
  fs.writeFileSync(path.join(project.environmentsDir, `${stack}.json`), JSON.stringify(config, null, 2));
  const before = snapshot(project.outdir);
  const errors: string[] = [];
  const warnings: string[] = [];
  const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line), warn: (line) => warnings.push(line) });
  return { exitCode: result.exitCode, errors, warnings, untouched: JSON.stringify(snapshot(project.outdir)) === JSON.stringify(before), before };
}
