import type { EnvironmentConfig } from './schema';

/**
 * Every name a stack gives to what it creates, derived from the file once, here: the stack uses
 * these, and the rules check them against AWS's limits (`derivedNamesFit`) and against the other
 * files (`across-files.ts`). A name is absent when the stack does not create that resource.
 */
export interface CreatedNames {
  readonly family: string;
  readonly logGroup: string;
  readonly cluster: string;
  readonly service: string;
  readonly targetGroup: string;
  /** `<family>-execution`, unless `executionRoleArn` is given. */
  readonly executionRole?: string;
  /** `<family>-task`, when ECS Exec, `taskRolePolicy` or an IAM database user needs one and no `taskRoleArn` is given. */
  readonly taskRole?: string;
  /** `<service>-tasks`, unless the tasks' groups are given. */
  readonly securityGroup?: string;
  /** With a pipeline: the CodeBuild project, `<family>-build` unless named. */
  readonly buildProject?: string;
  /** `<project>-codebuild`. */
  readonly buildRole?: string;
  /** `/aws/codebuild/<project>`. */
  readonly buildLogGroup?: string;
}

export function createdNames(config: EnvironmentConfig): CreatedNames {
  const { taskDefinition, service } = config;
  const family = taskDefinition.family;
  const serviceName = service.name;
  const execEnabled = service.enableExecuteCommand;
  const buildProject = config.pipeline ? config.pipeline.projectName ?? `${family}-build` : undefined;
  return {
    family,
    logGroup: taskDefinition.container.logGroup ?? family,
    cluster: config.cluster.name,
    service: serviceName,
    targetGroup: config.targetGroup.name,
    executionRole: taskDefinition.executionRoleArn === undefined ? `${family}-execution` : undefined,
    taskRole: taskDefinition.taskRoleArn === undefined && (execEnabled || taskDefinition.taskRolePolicy !== undefined || (service.database?.user !== undefined && service.database.iamAuth === true)) ? `${family}-task` : undefined,
    securityGroup: service.securityGroupIds === undefined && service.securityGroupTags === undefined ? `${serviceName}-tasks` : undefined,
    buildProject,
    buildRole: buildProject && `${buildProject}-codebuild`,
    buildLogGroup: buildProject && `/aws/codebuild/${buildProject}`,
  };
}
