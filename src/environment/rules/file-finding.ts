import type { EnvironmentConfig } from '../schema';
import { Finding } from './rule';

/** Types of the rules across files (./across-files.ts, ./clone-budget.ts). */

export interface FileConfig {
  readonly file: string;
  readonly config: EnvironmentConfig;
  /** The file's JSON as parsed, before the schema's defaults: which fields the file itself writes. */
  readonly json: unknown;
}

export interface FileFinding extends Finding {
  readonly file: string;
  /** The other files the problem involves (those it collides with). */
  readonly others: readonly string[];
  /**
   * A warning: synth prints it on every run and goes on.
   * @default - an error
   */
  readonly level?: 'warning';
}
