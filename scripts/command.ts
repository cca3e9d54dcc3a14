/** Runs a script's `main` with its arguments: any error is one line on stderr and exit code 1, never a stack trace. */
export function runCommand(main: (argv: readonly string[]) => void): void {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
