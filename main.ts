import { synthesize } from './src/synth';

process.exitCode = synthesize().exitCode;
