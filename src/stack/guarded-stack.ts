import { Aspects, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Guardrails } from '../guardrails/aspect';
import { STAGING_RULES } from '../guardrails/pack';

/**
 * A stack checked by the staging guardrails, and resolved once: the guardrails read the same
 * Terraform JSON that `app.synth()` writes. (cdktf resolves a stack up to three times otherwise: the
 * guardrails, prepareStack and the synthesizer; at 100 environments that is most of synth.)
 */
export abstract class GuardedStack extends TerraformStack {
  public readonly guardrails: Guardrails;
  private rendered?: any;

  protected constructor(scope: Construct, id: string, suppressions: ConstructorParameters<typeof Guardrails>[0]['suppressions']) {
    super(scope, id);
    this.guardrails = new Guardrails({ rules: STAGING_RULES, suppressions });
    Aspects.of(this).add(this.guardrails);
  }

  /** The stack's Terraform JSON, resolved once. */
  public toTerraform(): any {
    return (this.rendered ??= super.toTerraform());
  }

  /** cdktf's resolve pass before writing: already done once the stack is rendered (it has a backend, and no cross-stack references). */
  public prepareStack(): void {
    if (this.rendered === undefined) super.prepareStack();
  }
}
