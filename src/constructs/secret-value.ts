import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { Construct } from 'constructs';

export interface SecretValueProps {
  /** A Secrets Manager secret ARN, or an SSM parameter ARN or name ("/…"). */
  readonly reference: string;
  /** Data source name, e.g. "access_header" → data.aws_ssm_parameter.access_header. */
  readonly address: string;
}

/**
 * A secret read at plan time, for arguments AWS wants in plain form (an ALB header condition value,
 * an OIDC client secret). It never appears in the environment file or the synthesized JSON;
 * Terraform keeps it in state, marked sensitive, so the state must be encrypted (see `backend`).
 */
export class SecretValue extends Construct {
  /** The secret, as a Terraform reference. */
  public readonly value: string;

  constructor(scope: Construct, id: string, props: SecretValueProps) {
    super(scope, id);
    if (/^arn:[^:]+:secretsmanager:/.test(props.reference)) {
      const secret = new DataAwsSecretsmanagerSecretVersion(this, 'Secret', { secretId: props.reference });
      secret.overrideLogicalId(props.address);
      this.value = secret.secretString;
    } else {
      const parameter = new DataAwsSsmParameter(this, 'Parameter', { name: props.reference, withDecryption: true });
      parameter.overrideLogicalId(props.address);
      this.value = parameter.value;
    }
  }
}
