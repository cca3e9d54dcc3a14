import { DATABASE_MARK } from '../../constructs/database-access';
import { GuardrailRule } from '../guardrail';

/**
 * A preview runs a pull request's untested code with staging's connection. How the rule knows: the
 * preview stack marks its task definition when the connection it inherits is read-write. The marks are
 * the constructs' word, like DATABASE_MARK on the ingress rule; the provider's default tags
 * (staging:preview) would say only that the stack is a preview, not what its container may do, and the
 * guardrails see resources, not providers. The schema refuses "read-write" beside `previews`, so from a
 * file this never fires: it guards preview stacks built in code from a config the schema never saw.
 */
export const PreviewWrites: GuardrailRule = {
  id: 'STG-PreviewWrites',
  level: 'error',
  message: 'a preview must never write production data',
  explanation:
    'Every preview runs the code of a pull request, untested, with the database connection staging has; with access "read-write" that code may change production’s rows. Previews connect read-only: use access "read-only" or "reader" for the environment, or turn previews off while staging writes. No consent covers it, so it cannot be suppressed.',
  suppressible: false,
  check: (resource) => (resource.type === 'aws_ecs_task_definition' && resource.marks.includes(DATABASE_MARK.previewWrites) ? [{ detail: 'the preview’s container connects read-write' }] : []),
};
