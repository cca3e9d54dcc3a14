// Prints the deploy check (src/pipeline/deploy-check.ts) for scripts/preview-build.sh, which runs it
// after each preview's apply: the same wait, smoke test and rollback as staging's buildspec inlines.
import { deployCheckScript } from '../src/pipeline/deploy-check';

process.stdout.write(deployCheckScript());
