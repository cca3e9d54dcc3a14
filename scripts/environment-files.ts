// The environment files the scripts act on (`environments/`, else `examples/`), loaded and checked as synth does.
import * as path from 'node:path';
import { loadEnvironmentFile } from '../src/environment/load';
import { EnvironmentConfig } from '../src/environment/schema';
import { environmentFileNames, environmentSource } from '../src/environment/sources';

/** The stack names, and their directory relative to the working directory. */
export function stackNames(): { dir: string; names: string[] } {
  const source = environmentSource();
  const dir = path.relative('.', source.dir).split(path.sep).join('/');
  return { dir, names: environmentFileNames(source.dir).map((name) => path.basename(name, '.json')) };
}

/** One stack's file, loaded; an unknown stack or an invalid file throws a one-line error. */
export function loadStack(name: string, shown = name): { file: string; config: EnvironmentConfig } {
  const { dir, names } = stackNames();
  if (!names.includes(name)) throw new Error(`no stack "${shown}"; the stacks of ${dir}/ are: ${names.join(', ')}`);
  const file = `${dir}/${name}.json`;
  const loaded = loadEnvironmentFile(file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\nerror: '));
  return { file, config: loaded.environment.config };
}
