import { ANY_ARN, ARN_PREFIX, BUCKET_NAME, KMS_KEY_ARN, ROLE_ARN, SECRET_ARN, SECRET_REFERENCE, SECURITY_GROUP_ID, SSM_PARAMETER_NAME, SUBNET_ID, USER_POOL_ARN, VPC_ID } from '../../aws/ids';
import { ZONE_ID } from '../../aws/route53';
import { isReference } from '../../kit/reference';
import { referenceRule, secretField, stringRule } from './rule';

/** EC2 VPC ID, e.g. vpc-0123456789abcdef0. */
export const vpcId = referenceRule('must be a VPC ID like vpc-0123456789abcdef0', (v) => VPC_ID.test(v), VPC_ID);
/** EC2 subnet ID. */
export const subnetId = referenceRule('must be a subnet ID like subnet-0123456789abcdef0', (v) => SUBNET_ID.test(v), SUBNET_ID);
/** EC2 security group ID. */
export const securityGroupId = referenceRule('must be a security group ID like sg-0123456789abcdef0', (v) => SECURITY_GROUP_ID.test(v), SECURITY_GROUP_ID);

export const roleArn = referenceRule('must be an IAM role ARN like arn:aws:iam::123456789012:role/name', (v) => ROLE_ARN.test(v), ROLE_ARN);

export const secretArn = referenceRule(
  'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:…:secret:…) or an SSM parameter ARN (arn:aws:ssm:…:parameter/…)',
  (v) => SECRET_ARN.test(v),
  SECRET_ARN,
);

export const zoneId = referenceRule('must be a Route 53 hosted zone ID like Z0123456789ABCDEFGHIJ', (v) => ZONE_ID.test(v), ZONE_ID);

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
  return typeof value === 'string' && (isReference(value) || ARN_PREFIX.test(value) || SSM_PARAMETER_NAME.test(value));
}

export const kmsKeyArn = referenceRule('must be a KMS key ARN like arn:aws:kms:ap-northeast-1:123456789012:key/<key id> (not an alias)', (v) => KMS_KEY_ARN.test(v), KMS_KEY_ARN);

export const userPoolArn = referenceRule(
  'must be a Cognito user pool ARN like arn:aws:cognito-idp:ap-northeast-1:123456789012:userpool/ap-northeast-1_AbCdEf123',
  (v) => USER_POOL_ARN.test(v),
  USER_POOL_ARN,
);

export const bucketName = stringRule('must be an S3 bucket name: 3–63 lower-case letters, digits, "." and "-"', (v) => BUCKET_NAME.test(v), BUCKET_NAME);

/** Any ARN, for IAM statements listed in the environment file. */
export const anyArn = referenceRule('must be an ARN (arn:<partition>:<service>:…)', (v) => ANY_ARN.test(v), ANY_ARN);
