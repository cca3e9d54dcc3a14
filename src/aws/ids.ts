/** AWS IDs and ARNs that the environment file names: their shapes, per the AWS references cited. */

// AWS General Reference, "Regions and endpoints" (commercial, GovCloud and China partitions).
export const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2',
  'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-southeast-5', 'ap-southeast-7', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1', 'me-central-1',
  'mx-central-1', 'sa-east-1', 'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
] as const;

/** An ARN's start in the commercial, China or GovCloud partition (regex source). */
export const PARTITION = 'arn:aws(?:-cn|-us-gov)?';
/** A 12-digit account ID (regex source). */
export const ACCOUNT = '\\d{12}';

// EC2 API: resource IDs are a prefix plus 8 (older) or 17 hexadecimal characters.
const ec2Id = (prefix: string) => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
export const VPC_ID = ec2Id('vpc');
export const SUBNET_ID = ec2Id('subnet');
export const SECURITY_GROUP_ID = ec2Id('sg');

// IAM User Guide, "IAM identifiers": arn:aws:iam::<account>:role/<path/>name.
export const ROLE_ARN = new RegExp(`^${PARTITION}:iam::${ACCOUNT}:role/[\\w+=,.@/-]{1,512}$`);

// ECS Developer Guide, "Pass sensitive data": a Secrets Manager secret ARN (optionally with
// :json-key:version-stage:version-id) or an SSM parameter ARN.
export const SECRET_ARN = new RegExp(
  `^${PARTITION}:(?:secretsmanager:[a-z0-9-]+:${ACCOUNT}:secret:[\\w/+=.@-]+(?::[^:]*){0,3}|ssm:[a-z0-9-]+:${ACCOUNT}:parameter/[\\w/.-]+)$`,
);

// SSM Parameter Store: a hierarchical parameter name. ECS accepts a bare name for a parameter in the
// task's region; a leading "/" is required here so that a plain value can never pass for a name.
export const SSM_PARAMETER_NAME = /^\/[A-Za-z0-9_.\-/]{1,2047}$/;
export const SSM_PARAMETER_ARN = new RegExp(`^${PARTITION}:ssm:[a-z0-9-]+:${ACCOUNT}:parameter/[\\w/.-]+$`);
/** A whole Secrets Manager secret, as CodeBuild's source auth and buildspec `secrets-manager` take it: no `:json-key` suffix. */
export const WHOLE_SECRET_ARN = new RegExp(`^${PARTITION}:secretsmanager:[a-z0-9-]+:${ACCOUNT}:secret:[\\w/+=.@-]+$`);
/** A secret's reference: a Secrets Manager ARN, an SSM parameter ARN, or an SSM parameter name. */
export const SECRET_REFERENCE = new RegExp(`${SECRET_ARN.source}|${SSM_PARAMETER_NAME.source}`);
// Secrets Manager: IAM matches a secret by its full ARN, which ends in "-" and six random characters.
export const COMPLETE_SECRET_ARN_SUFFIX = /:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}(:|$)/;

// KMS Developer Guide, "Key identifiers": kms:Decrypt is granted on the key ARN (an alias ARN matches nothing).
export const KMS_KEY_ARN = new RegExp(`^${PARTITION}:kms:[a-z0-9-]+:${ACCOUNT}:key/[0-9a-f-]{36}$|^${PARTITION}:kms:[a-z0-9-]+:${ACCOUNT}:key/mrk-[0-9a-f]{32}$`);

// Cognito user pool ARN.
export const USER_POOL_ARN = new RegExp(`^${PARTITION}:cognito-idp:[a-z0-9-]+:${ACCOUNT}:userpool/[\\w-]+_[0-9a-zA-Z]+$`);

// S3 bucket naming rules: 3–63 characters, lower-case letters, digits, "." and "-".
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Any ARN, for IAM statements listed in the environment file. */
export const ANY_ARN = /^arn:aws(-cn|-us-gov)?:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;
/** The start of an ARN of any service: what an error may print of a secret field's value. */
export const ARN_PREFIX = /^arn:aws(?:-cn|-us-gov)?:[a-z0-9-]+:/;
