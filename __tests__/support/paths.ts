import * as path from 'node:path';

// The project's paths, in a module that loads nothing else: most suites need one of them, and
// support/synth.ts, which re-exports them, loads cdktf and the environment schema.
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
/** The tests' own environment files (copies of the examples), never the team's `environments/`. */
export const FIXTURE_ENVIRONMENTS_DIR = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'environments');
/** Team-like environment files (other accounts, regions, features), for the CI guard that runs the suite with them in environments/. */
export const TEAM_FIXTURES_DIR = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'team');
export const FIXTURE_FILE = path.join(FIXTURE_ENVIRONMENTS_DIR, 'stg.json');
