import { synthesizeFromCommandLine } from './src/synth-command';

process.exitCode = synthesizeFromCommandLine(process.argv.slice(2));
