/** Who may reach staging. The config rule checks the file's listenerRule.access; the guardrail the listener rules' JSON. */
import { isNarrowCidr } from './allowlist';

/** What stands between a caller and staging. */
export interface AccessControls {
  /** The source allowlist's ranges; empty when there is none. */
  readonly allowlist: readonly string[];
  /** A header the caller must send. */
  readonly header: boolean;
  /** A login (OIDC or Cognito) before the forward. */
  readonly login: boolean;
}

/**
 * Staging serves production data: it must admit only known callers, through a narrow allowlist, a
 * header or a login. `isNarrow` judges each range of the allowlist; a guardrail passes one that lets a
 * range known only at apply (`${…}`) pass.
 */
export function admitsOnlyKnownCallers(controls: AccessControls, isNarrow: (cidr: string) => boolean = isNarrowCidr): boolean {
  const allowlist = controls.allowlist.length > 0 && controls.allowlist.every(isNarrow);
  return allowlist || controls.header || controls.login;
}
