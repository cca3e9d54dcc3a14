import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * The one place this project leans on how cdktf 0.21 works inside, beyond its documented API (so that
 * a move to CDK Terrain is a change here). Everything else imports `cdktf` and `constructs` only.
 */

/**
 * Runs an Aspect over a stack now, as `app.synth()` will (Aspects are public; cdktf's own
 * `invokeAspects` is not): synth checks every stack before it writes any. Visiting again at
 * `app.synth()` must be harmless, as it is for `Guardrails`.
 */
export function visitAll(stack: TerraformStack, aspect: { visit(node: IConstruct): void }): void {
  for (const node of stack.node.findAll()) aspect.visit(node);
}

/**
 * Builds constructs without capturing a stack trace per token. cdktf 0.21 records a full trace in
 * every token it makes (tokens/private/intrinsic.js and lazy.js call `Error.captureStackTrace`), only
 * to say where a token came from when it fails to resolve; at 100 environments that was a third of
 * synth. Our stacks' tokens always resolve, and `CDKTF_DEBUG=1` keeps the traces for us.
 */
export function withoutTokenStackTraces<T>(build: () => T): T {
  if (process.env.CDKTF_DEBUG === '1') return build();
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = () => undefined;
  try {
    return build();
  } finally {
    Error.captureStackTrace = capture;
  }
}
