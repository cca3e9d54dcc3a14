import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentConfig } from './environment/schema';
import { StagingEnvironment } from './staging-environment';

export interface StagingStackProps {
  /** A validated environment file. */
  readonly config: EnvironmentConfig;
}

/** One Terraform stack per environment file, named after the file. */
export class StagingStack extends TerraformStack {
  public readonly staging: StagingEnvironment;

  constructor(scope: Construct, id: string, props: StagingStackProps) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: props.config.region });
    this.staging = new StagingEnvironment(this, 'Staging', { config: props.config });
  }
}
