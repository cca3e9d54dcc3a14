import { synthesizeFromCommandLine } from './src/synth/synth-command';

process.exitCode = synthesizeFromCommandLine(process.argv.slice(2));
