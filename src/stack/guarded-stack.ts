import { Aspects, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Guardrails } from '../guardrails/aspect';
import { STAGING_RULES } from '../guardrails/pack';
import { renderStack } from './cdktf-adapter';

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

  /**
   * The stack's Terraform JSON, resolved once (`renderStack`: cdktf's JSON, without its second pass over
   * the whole). The stack is then locked (constructs' `lock()`): a construct added afterwards throws
   * "Cannot add children … during synthesis" instead of being left out, unseen by the guardrails, of the
   * JSON written.
   */
  public toTerraform(): any {
    if (this.rendered === undefined) {
      this.rendered = renderStack(this);
      this.node.lock();
    }
    return this.rendered;
  }

  /** cdktf's resolve pass before writing: already done once the stack is rendered (it has a backend, and no cross-stack references). */
  public prepareStack(): void {
    if (this.rendered === undefined) super.prepareStack();
  }
}
