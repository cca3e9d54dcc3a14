// The stack a day-2 command (status, logs, rollback, exec, drift) acts on: its environment file, loaded
// and checked as synth does, and the names it has in AWS (src/operations/target.ts).
import { operationTarget, OperationTarget, splitStackName } from '../src/operations/target';
import { loadStack } from './environment-files';

/** Usage lines name the stack the same way everywhere. */
export const STACK_ARGUMENT = '(a staging stack, or a preview: <stack>-pr-<number>)';

/** The target of `stack`; an unknown stack, an invalid file or a preview without previews is a one-line error. */
export function loadTarget(stack: string): OperationTarget {
  const { environment } = splitStackName(stack);
  const { file, config } = loadStack(environment, stack);
  const target = operationTarget(stack, file, config);
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (region && region !== target.region) console.error(`note: ${stack} is in ${target.region} (${file}); AWS_REGION=${region} is not used for it`);
  return target;
}
