import { isReference, referenceRule, secretField, stringRule } from './rule';

// AWS General Reference, "Regions and endpoints" (commercial, GovCloud and China partitions).
export const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2',
  'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-southeast-5', 'ap-southeast-7', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1', 'me-central-1',
  'mx-central-1', 'sa-east-1', 'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
] as const;

const PARTITION = 'arn:aws(?:-cn|-us-gov)?';
const ACCOUNT = '\\d{12}';

// EC2 API: resource IDs are a prefix plus 8 (older) or 17 hexadecimal characters.
const ec2Id = (prefix: string) => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
export const VPC_ID = ec2Id('vpc');
export const SUBNET_ID = ec2Id('subnet');
export const SECURITY_GROUP_ID = ec2Id('sg');

/** EC2 VPC ID, e.g. vpc-0123456789abcdef0. */
export const vpcId = referenceRule('must be a VPC ID like vpc-0123456789abcdef0', (v) => VPC_ID.test(v), VPC_ID);
/** EC2 subnet ID. */
export const subnetId = referenceRule('must be a subnet ID like subnet-0123456789abcdef0', (v) => SUBNET_ID.test(v), SUBNET_ID);
/** EC2 security group ID. */
export const securityGroupId = referenceRule('must be a security group ID like sg-0123456789abcdef0', (v) => SECURITY_GROUP_ID.test(v), SECURITY_GROUP_ID);

// IAM User Guide, "IAM identifiers": arn:aws:iam::<account>:role/<path/>name.
export const ROLE_ARN = new RegExp(`^${PARTITION}:iam::${ACCOUNT}:role/[\\w+=,.@/-]{1,512}$`);
export const roleArn = referenceRule('must be an IAM role ARN like arn:aws:iam::123456789012:role/name', (v) => ROLE_ARN.test(v), ROLE_ARN);

// ECS Developer Guide, "Pass sensitive data": a Secrets Manager secret ARN (optionally with
// :json-key:version-stage:version-id) or an SSM parameter ARN.
export const SECRET_ARN = new RegExp(
  `^${PARTITION}:(?:secretsmanager:[a-z0-9-]+:${ACCOUNT}:secret:[\\w/+=.@-]+(?::[^:]*){0,3}|ssm:[a-z0-9-]+:${ACCOUNT}:parameter/[\\w/.-]+)$`,
);
export const secretArn = referenceRule(
  'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:…:secret:…) or an SSM parameter ARN (arn:aws:ssm:…:parameter/…)',
  (v) => SECRET_ARN.test(v),
  SECRET_ARN,
);

// Route 53 API: hosted zone IDs are "Z" followed by up to 31 upper-case letters and digits.
export const ZONE_ID = /^Z[0-9A-Z]{1,31}$/;
export const zoneId = referenceRule('must be a Route 53 hosted zone ID like Z0123456789ABCDEFGHIJ', (v) => ZONE_ID.test(v), ZONE_ID);

// ELBv2 API Reference: listener ARNs are arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<lb>/<id>/<id>.
export const LISTENER_ARN = new RegExp(`^${PARTITION}:elasticloadbalancing:([a-z0-9-]+):${ACCOUNT}:listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$`);

/** What kind of ELBv2 ARN a string is, to explain a wrong one. */
export function elbArnKind(value: string): 'listener' | 'loadbalancer' | 'targetgroup' | 'listener-rule' | undefined {
  const match = /:elasticloadbalancing:[^:]*:[^:]*:(listener-rule|listener|loadbalancer|targetgroup)\//.exec(value);
  return match?.[1] as ReturnType<typeof elbArnKind>;
}


// SSM Parameter Store: a hierarchical parameter name. ECS accepts a bare name for a parameter in the
// task's region; a leading "/" is required here so that a plain value can never pass for a name.
export const SSM_PARAMETER_NAME = /^\/[A-Za-z0-9_.\-/]{1,2047}$/;
export const SSM_PARAMETER_ARN = new RegExp(`^${PARTITION}:ssm:[a-z0-9-]+:${ACCOUNT}:parameter/[\\w/.-]+$`);
/** A whole Secrets Manager secret, as CodeBuild's source auth and buildspec `secrets-manager` take it: no `:json-key` suffix. */
export const WHOLE_SECRET_ARN = new RegExp(`^${PARTITION}:secretsmanager:[a-z0-9-]+:${ACCOUNT}:secret:[\\w/+=.@-]+$`);

/** A secret's reference: a Secrets Manager ARN, an SSM parameter ARN, or an SSM parameter name. */
export const SECRET_REFERENCE = new RegExp(`${SECRET_ARN.source}|${SSM_PARAMETER_NAME.source}`);
export const secretReference = referenceRule(
  'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:…:secret:…), an SSM parameter ARN (arn:aws:ssm:…:parameter/…) or an SSM parameter name starting with "/"',
  (v) => SECRET_ARN.test(v) || SSM_PARAMETER_NAME.test(v),
  SECRET_REFERENCE,
);

// Secret fields: an error about one never prints a plain value found there (it is the secret itself).
// Every field built from these (`.optional()`, `.describe()`, record values) inherits the mark.
secretField(secretReference);
secretField(secretArn);

/** Whether a value in a secret field is a reference (printable in errors) rather than a plain value (the secret). */
export function isSecretReference(value: unknown): boolean {
  return typeof value === 'string' && (isReference(value) || /^arn:aws(?:-cn|-us-gov)?:[a-z0-9-]+:/.test(value) || SSM_PARAMETER_NAME.test(value));
}

// KMS Developer Guide, "Key identifiers": kms:Decrypt is granted on the key ARN (an alias ARN matches nothing).
export const KMS_KEY_ARN = new RegExp(`^${PARTITION}:kms:[a-z0-9-]+:${ACCOUNT}:key/[0-9a-f-]{36}$|^${PARTITION}:kms:[a-z0-9-]+:${ACCOUNT}:key/mrk-[0-9a-f]{32}$`);
export const kmsKeyArn = referenceRule('must be a KMS key ARN like arn:aws:kms:ap-northeast-1:123456789012:key/<key id> (not an alias)', (v) => KMS_KEY_ARN.test(v), KMS_KEY_ARN);

// Cognito user pool ARN.
const USER_POOL_ARN = new RegExp(`^${PARTITION}:cognito-idp:[a-z0-9-]+:${ACCOUNT}:userpool/[\\w-]+_[0-9a-zA-Z]+$`);
export const userPoolArn = referenceRule(
  'must be a Cognito user pool ARN like arn:aws:cognito-idp:ap-northeast-1:123456789012:userpool/ap-northeast-1_AbCdEf123',
  (v) => USER_POOL_ARN.test(v),
  USER_POOL_ARN,
);

// S3 bucket naming rules: 3–63 characters, lower-case letters, digits, "." and "-".
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const bucketName = stringRule('must be an S3 bucket name: 3–63 lower-case letters, digits, "." and "-"', (v) => BUCKET_NAME.test(v), BUCKET_NAME);

/** Any ARN, for IAM statements listed in the environment file. */
const ANY_ARN = /^arn:aws(-cn|-us-gov)?:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;
export const anyArn = referenceRule('must be an ARN (arn:<partition>:<service>:…)', (v) => ANY_ARN.test(v), ANY_ARN);
