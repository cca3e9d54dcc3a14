import type { EnvironmentConfig } from './schema';

/**
 * What a file consents to, for the readers after synth: the tftest invariants take it as variables
 * and the review lists it. Synth itself reads the same fields (the cross-field rules; the listener
 * rule's `access.public`, which marks it public for STG-PublicAccess and STG-RestrictedAccess), so a
 * consent that synth accepts with a warning is never a failure elsewhere.
 */
export interface Consent {
  /** `listenerRule.access.public`: the endpoint is open to everyone. */
  readonly publicEndpoint: boolean;
  /** `listenerRule.allowWildcardHost`: the host header may hold "*" or "?". */
  readonly wildcardHost: boolean;
  /** `service.database.allowProductionWrites`: staging connects with write access to production data. */
  readonly productionWrites: boolean;
  /** `service.database.allowUnmaskedProductionData`: a clone (staging's or a preview's) serves production data unmasked. */
  readonly unmaskedProductionData: boolean;
  /** `guardrails.suppress`: written exceptions, each with its reason. */
  readonly suppressions: readonly { readonly id: string; readonly reason: string; readonly resources?: readonly string[] }[];
}

export function consentOf(config: EnvironmentConfig): Consent {
  return {
    publicEndpoint: config.listenerRule.access.public === true,
    wildcardHost: config.listenerRule.allowWildcardHost === true,
    productionWrites: config.service.database?.allowProductionWrites === true && config.service.database.access === 'read-write',
    unmaskedProductionData: config.service.database?.allowUnmaskedProductionData === true && config.service.database.clone?.mask === undefined,
    suppressions: config.guardrails?.suppress ?? [],
  };
}

/** The consents as one line each, for a reader (a reason holds no control character: the schema refuses one); empty when the file consents to nothing. */
export function consentLines(consent: Consent): string[] {
  return [
    // the gravest first: a reader of the review sees it in its first lines
    ...(consent.productionWrites ? ['service.database.allowProductionWrites: staging WRITES PRODUCTION DATA (access "read-write")'] : []),
    ...(consent.unmaskedProductionData ? ['service.database.allowUnmaskedProductionData: a clone serves UNMASKED PRODUCTION DATA (no clone.mask)'] : []),
    ...(consent.publicEndpoint ? ['listenerRule.access.public: the endpoint is open to everyone'] : []),
    ...(consent.wildcardHost ? ['listenerRule.allowWildcardHost: the host header holds a wildcard'] : []),
    ...consent.suppressions.map((s) => `guardrails.suppress: ${s.id}${s.resources ? ` on ${s.resources.join(', ')}` : ''}: ${s.reason}`),
  ];
}
