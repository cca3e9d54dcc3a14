/**
 * What the day-2 commands' emulator suite (__tests__/emulator/operations.test.ts) saw moto_server 5.2.1
 * answer differently from AWS, and what the suite does about each: the commands themselves are not
 * changed for the emulator. To be merged into gaps.ts (OPERATIONS_GAPS beside OTHER_GAPS) when that file
 * is free; until then it is its own file, named by gaps.ts's readers through this one.
 */

/** The ECS API calls the emulator does not have: each answers HTTP 500 with an HTML page. */
export const MISSING_CALLS: Record<string, string> = {
  ExecuteCommand:
    'HTTP 500 "Internal Server Error" (an HTML page; the SDK throws SyntaxError "Unexpected token \'<\'… Deserialization error", $metadata.httpStatusCode 500, after 3 attempts). npm run exec is covered by __tests__/operations/exec.test.ts: ExecuteCommand answered as the ECS API Reference documents it, session-manager-plugin a script that records its arguments. In the emulator the command stops earlier anyway (no runtimeId, below).',
  ListServiceDeployments: 'HTTP 500 (HTML), seen with boto3 list_service_deployments. rollback and status read the deployments from DescribeServices instead, which every ECS API version has.',
  DescribeServiceDeployments: 'HTTP 500 (HTML), seen with boto3 describe_service_deployments; not used, for the same reason.',
  StartLiveTail:
    'not reachable: the SDK puts the host prefix "stream-" on a custom endpoint (seen with boto3: EndpointConnectionError for "http://stream-127.0.0.1:<port>/"). logs --follow polls FilterLogEvents every second, as copilot svc logs --follow does; Live Tail is not used.',
};

/** What ECS in the emulator does not do, and how the suite stands in for it. */
export const OPERATIONS_GAPS = [
  'UpdateService with another revision stores it on the service but leaves the PRIMARY deployment on the old one (moto ecs/models.py update_service), so no rollout could be seen to reach the new revision. emulator/moto_server.py starts a PRIMARY deployment on the new revision\'s ARN, complete at once (COMPLETED when the running count, MOTO_ECS_SERVICE_RUNNING, reaches the desired count), as ECS does once its tasks are healthy. The rollout states in between (IN_PROGRESS with an ACTIVE deployment draining, FAILED, a circuit-breaker rollback) are covered with stand-ins in __tests__/operations/rollback.test.ts.',
  'A service runs no tasks, and MOTO_ECS_SERVICE_RUNNING sets only its counts (read at CreateService: the suite sets it before Emulator.start, whose child inherits the environment). ListTasks ignores serviceName (moto: "We can\'t filter on service_name until the backend actually launches tasks"): the suite starts the service\'s tasks with RunTask in the group "service:<name>", as ECS names a service\'s tasks, and the commands keep only the tasks of that group.',
  'RunTask of an awsvpc task fails with HTTP 500 (AttributeError: \'NetworkInterface\' object has no attribute \'private_dns_name\') unless the VPC has DNS hostnames enabled: the suite enables them on the production VPC (ModifyVpcAttribute), as default VPCs and the console\'s VPC wizard have them.',
  'RunTask fails with HTTP 500 (TypeError: unsupported operand type(s) for +=: \'int\' and \'NoneType\', in _calculate_task_resource_requirements) for a task definition whose containers have no memory of their own, as Fargate task definitions (the kit\'s) have it at task level only: the suite registers its second revision with the container\'s memory set to the task\'s, and runs its tasks from that one.',
  'A task moves one state on every DescribeTasks (RUNNING, DEACTIVATING, STOPPING, … after one look each: moto\'s managed state "ecs::task"): the suite sets that transition to manual (POST /moto-api/state-manager/set-transition), so a running task stays RUNNING.',
  'Tasks have no startedAt, stoppedAt or stopCode, their containers no runtimeId and exitCode 0 always: status shows "started ?", and exec stops before ExecuteCommand ("no runtime ID yet"), which the suite asserts.',
  'A registered ip target is "healthy" at once (no health checks run): target health per task is asserted as matched by IP, not as a health check result.',
  'ListTaskDefinitions ignores sort=DESC (answers oldest first): rollback sorts the revisions itself, which it does for AWS too (its familyPrefix also lists other families, stg-server-pr-7 for stg-server).',
  'FilterLogEvents never answers an empty page with a nextToken, as CloudWatch Logs can: that path (keep reading while a token remains) is covered in __tests__/operations/logs.test.ts.',
  'FilterLogEvents ignores logStreamNamePrefix (moto logs/responses.py reads logStreamNames only): every stream of the group is answered. logs keeps only the events of the streams it asked for, as it would have them from AWS; the suite writes a second container\'s stream to see it.',
  'CodeBuild BatchGetBuilds answers startTime (and the phases\' times) as ISO strings, where the JSON protocol has epoch seconds: the JS SDK refuses the answer (TypeError "Expected real number, got implicit NaN"; boto3 parses either). status shows its last-build part as that one line in its place, which the suite asserts; a build\'s status, duration and source are covered in __tests__/operations/status.test.ts.',
  'The refresh right after an apply reads back attributes the stack does not set, empty in the state: a role\'s inline_policy (its aws_iam_role_policy), a target group\'s load_balancer_arns (the listener rule), a security group\'s ingress and egress (its rule resources), tags null as {}. AWS does the same until the next apply records them; drift lists them as "filled in since the last apply", not as drift.',
];
