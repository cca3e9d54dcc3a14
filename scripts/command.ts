/**
 * Runs a script's `main` with its arguments: any error is one line on stderr and exit code 1 (or the
 * error's own `exitCode`), never a stack trace. `main` may be async (the AWS SDK commands are).
 */
export function runCommand(main: (argv: readonly string[]) => void | Promise<void>): void {
  const fail = (error: unknown) => {
    console.error(`error: ${(error as Error)?.message ?? String(error)}`);
    const code = (error as { exitCode?: unknown })?.exitCode;
    process.exitCode = typeof code === 'number' && code > 0 ? code : 1;
  };
  try {
    const result = main(process.argv.slice(2));
    if (result instanceof Promise) result.catch(fail);
  } catch (error) {
    fail(error);
  }
}
