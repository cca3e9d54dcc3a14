import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { visitAll } from '../../src/stack/cdktf-adapter';
import { GuardrailFinding, Guardrails, Suppression } from '../../src/guardrails/aspect';
import { STAGING_RULES } from '../../src/guardrails/pack';

/** Builds a stack, applies the staging rule pack as cdktf does at synth, and returns every finding. */
export function runGuardrails(build: (stack: TerraformStack) => void, suppressions?: Suppression[]): GuardrailFinding[] {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
  build(stack);
  const guardrails = new Guardrails({ rules: STAGING_RULES, suppressions });
  Aspects.of(stack).add(guardrails);
  visitAll(stack, guardrails);
  return [...guardrails.findings];
}

/** The rule IDs of findings no suppression silenced. */
export const active = (findings: readonly GuardrailFinding[]): string[] => findings.filter((f) => f.suppressedBecause === undefined).map((f) => f.ruleId);

/**
 * The one warning the examples synthesize with: preview.json keeps the legacy `service.database`
 * (securityGroupId and port only), which STG-DatabaseNetworkOnly reports on every synth. Two lines:
 * the finding, then its explanation.
 */
export const LEGACY_DATABASE_WARNING = /^warning: (.*\/)?preview\.json: aws_vpc_security_group_ingress_rule\.database_from_stg_server: STG-DatabaseNetworkOnly: [^\n]+\n {2}[^\n]+$/;
