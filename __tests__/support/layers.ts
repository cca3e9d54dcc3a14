import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The layers of src/, lowest first. A file may import its own folder and the folders below it, never
 * one above: AWS facts → the environment file's config (read, validate, resolve once) → the buildspec
 * generated from it → constructs → guardrails → the stack → synth → Terraform tooling → review.
 */
export const LAYERS = ['aws', 'environment', 'pipeline', 'constructs', 'guardrails', 'stack', 'synth', 'terraform', 'review'] as const;

/** The one file allowed to reach into cdktf's internals (`cdktf/lib/...`). */
export const CDKTF_ADAPTER = 'src/synth/cdktf-adapter.ts';

export interface Import {
  /** Importing file, relative to the project root. */
  readonly from: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** The imported file, relative to the project root (relative specifiers only). */
  readonly to?: string;
}

/** Every static import of every .ts file under `dir`. */
export function importsUnder(root: string, dir: string): Import[] {
  const files = (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).map((file) => path.join(dir, file));
  return files.flatMap((from) => {
    const text = fs.readFileSync(path.join(root, from), 'utf8');
    return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)].map((match) => {
      const specifier = match[1] ?? match[2];
      const to = specifier.startsWith('.') ? path.normalize(path.join(path.dirname(from), specifier)) : undefined;
      return { from, specifier, to };
    });
  });
}

/** The layer of a file under src/: its first folder. */
function layerOf(file: string): number {
  const folder = file.split(path.sep)[1];
  return LAYERS.indexOf(folder as (typeof LAYERS)[number]);
}

/** What breaks the layering: a file outside every layer, an import of a higher layer, or of cdktf's internals outside the adapter. */
export function layerViolations(imports: readonly Import[]): string[] {
  const problems: string[] = [];
  for (const { from, specifier, to } of imports) {
    if (layerOf(from) === -1) problems.push(`${from}: in no layer (${LAYERS.join(', ')})`);
    else if (to !== undefined && to.startsWith(`src${path.sep}`) && layerOf(to) > layerOf(from)) problems.push(`${from} imports ${specifier}: ${LAYERS[layerOf(to)]} is above ${LAYERS[layerOf(from)]}`);
    if (specifier.startsWith('cdktf/lib') && from !== CDKTF_ADAPTER) problems.push(`${from} imports ${specifier}: cdktf internals only in ${CDKTF_ADAPTER}`);
  }
  return [...new Set(problems)];
}
