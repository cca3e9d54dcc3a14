/**
 * The AWS SDK client packages of the day-2 commands, each required on first use. Initialising them at
 * module load cost ~0.08 s of CPU per run, paid even by a command that fails on its arguments or file
 * before any call, as most of the tests' runs do: such a command now never loads the SDK (`status nope`,
 * user+sys, mean of 10 interleaved runs on 2 cores: 0.22 -> 0.14 s; `logs nope` 0.24 -> 0.15 s).
 * esbuild turns a require() inside a function into a lazy module init, so this holds in the command
 * bundles (scripts/register-ts.js) as under jest. The classes are the packages' own (callName names a
 * command by its constructor). Modules that only name the SDK's types import them with `import type`,
 * which compiles to nothing.
 */
type AutoScaling = typeof import('@aws-sdk/client-application-auto-scaling');
type CloudWatchLogs = typeof import('@aws-sdk/client-cloudwatch-logs');
type CodeBuild = typeof import('@aws-sdk/client-codebuild');
type Ecr = typeof import('@aws-sdk/client-ecr');
type Ecs = typeof import('@aws-sdk/client-ecs');
type Elb = typeof import('@aws-sdk/client-elastic-load-balancing-v2');
type S3 = typeof import('@aws-sdk/client-s3');
type Sts = typeof import('@aws-sdk/client-sts');

/** `sdk.ecs.DescribeServicesCommand`: the package, loaded the first time one of its names is read. */
export const sdk = {
  get autoscaling(): AutoScaling { return require('@aws-sdk/client-application-auto-scaling'); },
  get logs(): CloudWatchLogs { return require('@aws-sdk/client-cloudwatch-logs'); },
  get codebuild(): CodeBuild { return require('@aws-sdk/client-codebuild'); },
  get ecr(): Ecr { return require('@aws-sdk/client-ecr'); },
  get ecs(): Ecs { return require('@aws-sdk/client-ecs'); },
  get elb(): Elb { return require('@aws-sdk/client-elastic-load-balancing-v2'); },
  get s3(): S3 { return require('@aws-sdk/client-s3'); },
  get sts(): Sts { return require('@aws-sdk/client-sts'); },
};
