import { GuardrailFinding } from './aspect';

/**
 * `error: <file>: <address>: <rule>: <message>: <detail> (got <value>)`, then why and how to fix,
 * and how to record an exception when the rule allows one.
 */
export function formatGuardrailFinding(file: string, finding: GuardrailFinding): string {
  const got = finding.value === undefined ? '' : ` (got ${JSON.stringify(finding.value)})`;
  return `${finding.level}: ${file}: ${finding.address}: ${finding.ruleId}: ${finding.message}: ${finding.detail}${got}\n  ${finding.explanation}`;
}
