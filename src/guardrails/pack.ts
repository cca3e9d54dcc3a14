import { GuardrailRule } from './guardrail';
import { ExecAudit } from './rules/exec-audit';
import { LogRetention } from './rules/log-retention';
import { DualStackAllowlist } from './rules/dual-stack-allowlist';
import { ManagedLogGroup } from './rules/managed-log-group';
import { OpenIngress } from './rules/open-ingress';
import { PlainSecretValues } from './rules/plain-secret-values';
import { PlainSecrets } from './rules/plain-secrets';
import { ProductionResource } from './rules/production-resource';
import { PublicAccess } from './rules/public-access';
import { PublicIp } from './rules/public-ip';
import { RestrictedAccess } from './rules/restricted-access';
import { RollbackImage } from './rules/rollback-image';
import { ScopedListener } from './rules/scoped-listener';
import { ScopedSecrets } from './rules/scoped-secrets';
import { ScheduledCount } from './rules/scheduled-count';
import { CapacityProviders } from './rules/capacity-providers';
import { DatabaseConnect } from './rules/database-connect';
import { DatabaseNetworkOnly } from './rules/database-network-only';
import { PreviewWrites } from './rules/preview-writes';
import { ProductionPassword } from './rules/production-password';
import { OtherDatabasePassword } from './rules/other-database-password';
import { ProductionWrites } from './rules/production-writes';
import { WritesConsent } from './rules/writes-consent';
import { CloneIdentity } from './rules/clone-identity';
import { MaskConsent, UnmaskedClone } from './rules/unmasked-clone';

/** Every staging stack gets this pack. */
export const STAGING_RULES: readonly GuardrailRule[] = [
  RestrictedAccess,
  PublicAccess,
  PlainSecrets,
  PlainSecretValues,
  ScopedSecrets,
  ScopedListener,
  LogRetention,
  ManagedLogGroup,
  ExecAudit,
  ProductionResource,
  OpenIngress,
  PublicIp,
  RollbackImage,
  DualStackAllowlist,
  ScheduledCount,
  CapacityProviders,
  DatabaseConnect,
  ProductionWrites,
  WritesConsent,
  PreviewWrites,
  ProductionPassword,
  OtherDatabasePassword,
  DatabaseNetworkOnly,
  CloneIdentity,
  UnmaskedClone,
  MaskConsent,
];

/** Rule IDs that `guardrails.suppress` may name. */
export const SUPPRESSIBLE_RULE_IDS = STAGING_RULES.filter((rule) => rule.suppressible !== false).map((rule) => rule.id) as [string, ...string[]];
