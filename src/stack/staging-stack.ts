import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, LocalBackend, S3Backend } from 'cdktf';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { literalText } from '../environment/literal';
import { Finding } from '../environment/rules/rule';
import { EnvironmentConfig } from '../environment/schema';
import { resolveReferences } from './references';
import { GuardedStack } from './guarded-stack';
import { StagingEnvironment } from './staging-environment';
import { StagingPreviews, stagingStateKey } from './staging-previews';

export interface StagingStackProps {
  /** A validated environment file. */
  readonly config: EnvironmentConfig;
  /**
   * Its path, relative to the project, for generated headers.
   * @default "environments/<id>.json"
   */
  readonly file?: string;
}

/** One Terraform stack per environment file, named after the file, checked by the staging guardrails. */
export class StagingStack extends GuardedStack {
  public readonly staging: StagingEnvironment;
  /** Created when the file has a `previews` section. */
  public readonly previews?: StagingPreviews;
  /** The environment file it was built from, as written. */
  public readonly config: EnvironmentConfig;
  /** References of the file the stack cannot resolve (see `resolveReferences`); errors at synth. */
  public readonly unresolvedReferences: readonly Finding[];
  /** Where `app.synth()` writes it. */
  public readonly outputDirectory: string;

  constructor(scope: Construct, id: string, props: StagingStackProps) {
    super(scope, id, props.config.guardrails?.suppress);
    this.config = props.config;
    // What reaches Terraform: the file's text escaped, so that only whole references are evaluated.
    const config = literalText(props.config);
    const file = props.file ?? `environments/${id}.json`;
    this.outputDirectory = path.join(App.of(this).outdir, 'stacks', id);
    this.configureBackend(id, config, this.outputDirectory);
    new AwsProvider(this, 'aws', { region: config.region });
    this.staging = new StagingEnvironment(this, 'Staging', { config, file, stack: id });
    if (config.previews) this.previews = new StagingPreviews(this, 'Previews', { environment: id, config, staging: this.staging, file });
    this.unresolvedReferences = resolveReferences(this, config, file);
  }

  /**
   * S3 with encryption and Terraform ≥ 1.10 native locking when the file has a `backend`; else a
   * local file next to the project (a relative path, so the JSON is the same on every machine).
   */
  private configureBackend(id: string, config: EnvironmentConfig, outputDirectory: string): void {
    const backend = config.backend;
    if (backend) {
      new S3Backend(this, {
        bucket: backend.bucket,
        key: stagingStateKey(id, config),
        region: backend.region ?? config.region,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
      });
      // cdktf 0.21's S3BackendConfig predates `use_lockfile`.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    }
    new LocalBackend(this, { path: path.relative(path.resolve(outputDirectory), path.resolve(`terraform.${id}.tfstate`)) });
  }
}
