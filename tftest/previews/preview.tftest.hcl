# The invariants of every preview stack (<environment>-pr-<number>), in Terraform's own test language.
# `npm test` runs it against the examples' previews, offline: the AWS provider is mocked and the
# staging stack's state (what a preview reads) is given below. By hand, as for the staging suite:
#
#   PREVIEW_PULL_REQUESTS=12 npm run synth
#   cp -r tftest/previews cdktf.out/stacks/stg-pr-12/tftest
#   terraform -chdir=cdktf.out/stacks/stg-pr-12 init -backend=false
#   terraform -chdir=cdktf.out/stacks/stg-pr-12 test -test-directory=tftest

variables {
  # npm test writes each preview's own values here.
  pull_request = 12
  host         = "pr-12.stg-api.example.com"
  band_first   = 1000
  band_last    = 1009
  stack_file   = "cdk.tf.json"
  # true when the environment file sets listenerRule.access.public (src/environment/consent.ts)
  public_by_consent = false
}

# What the staging stack's state holds for its previews (its outputs).
override_data {
  target = data.terraform_remote_state.staging
  values = {
    outputs = {
      previews_cluster_arn        = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/stg_ecs_cluster"
      previews_listener_arn       = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef"
      previews_vpc_id             = "vpc-0123456789abcdef0"
      previews_subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
      previews_security_group_ids = ["sg-0aaaaaaaaaaaaaaaa"]
      previews_execution_role_arn = "arn:aws:iam::123456789012:role/stg-server-execution"
      previews_task_role_arn      = "arn:aws:iam::123456789012:role/stg-server-task"
    }
  }
}

mock_provider "aws" {
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/pr-12-stg-server-target/0123456789abcdef" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/stg-server-pr-12:1" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:ap-northeast-1:123456789012:log-group:stg-server/pr-12" }
  }
  # a preview's clone (previews.database.access "clone"): its master secret, which the container names
  mock_resource "aws_rds_cluster" {
    defaults = {
      arn                = "arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db-stg-pr-12"
      endpoint           = "prod-db-stg-pr-12.cluster-c0abcdefghij.ap-northeast-1.rds.amazonaws.com"
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-0123abcd-AbCdEf", kms_key_id = "", secret_status = "active" }]
    }
  }
  # a masked clone's masking job: the project its EventBridge rule's target names
  mock_resource "aws_codebuild_project" {
    defaults = { arn = "arn:aws:codebuild:ap-northeast-1:123456789012:project/prod-db-stg-pr-12-mask" }
  }
}

run "plan" {
  command = plan

  # Its slot of the band, never "max + 1".
  assert {
    condition     = aws_alb_listener_rule.stg_server_rule.priority >= var.band_first && aws_alb_listener_rule.stg_server_rule.priority <= var.band_last
    error_message = "The preview's listener rule must take a priority in its environment's band, ${var.band_first}-${var.band_last}."
  }
  assert {
    condition = alltrue([
      for name, rule in jsondecode(file(var.stack_file)).resource.aws_alb_listener_rule : rule.priority >= var.band_first && rule.priority <= var.band_last
    ])
    error_message = "Every rule of the preview must take a priority in the band."
  }
  assert {
    condition     = anytrue([for condition in aws_alb_listener_rule.stg_server_rule.condition : contains(flatten([for h in condition.host_header : h.values]), var.host)])
    error_message = "The preview's rule must match its own host, ${var.host}."
  }

  # The same restriction as staging: a narrow allowlist, a header, or a login; unless the file
  # consents to a public endpoint.
  assert {
    condition = var.public_by_consent || anytrue([
      for condition in aws_alb_listener_rule.stg_server_rule.condition :
      length(condition.http_header) > 0 || anytrue([
        for source in condition.source_ip :
        alltrue([for cidr in source.values : tonumber(split("/", cidr)[1]) >= (strcontains(cidr, ":") ? 32 : 8)])
      ])
    ]) || anytrue([for action in aws_alb_listener_rule.stg_server_rule.action : startswith(action.type, "authenticate-")])
    error_message = "The preview's listener rule must admit only some callers, as staging's does."
  }

  # Only what a preview needs: nothing of production's, nothing of staging's (no cluster, security
  # group, role or record). Which types a configuration manages is not a planned value: read the JSON.
  assert {
    condition = length(setsubtract(keys(jsondecode(file(var.stack_file)).resource), [
      "aws_ecs_task_definition", "aws_lb_target_group", "aws_alb_listener_rule", "aws_ecs_service", "aws_cloudwatch_log_group",
      # working hours
      "aws_appautoscaling_target", "aws_appautoscaling_scheduled_action",
      # its own copy-on-write clone (previews.database.access "clone"), checked below, and its schedules
      "aws_rds_cluster", "aws_rds_cluster_instance", "aws_db_subnet_group", "aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_scheduler_schedule",
      # its clone's masking job and the rule that starts it (with clone.mask), checked below; never a role
      "aws_codebuild_project", "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target",
    ])) == 0
    error_message = "A preview stack may manage only its task definition, target group, listener rule, service and log group (with its working hours, and its own clone and masking job)."
  }
  # Its masking job is its own, named for the pull request, run with the role staging made for previews,
  # and started by the creation of its own clone's instance only.
  assert {
    condition = alltrue([
      for name, project in try(jsondecode(file(var.stack_file)).resource.aws_codebuild_project, {}) :
      endswith(project.name, "-pr-${var.pull_request}-mask") && project.service_role == "$${data.terraform_remote_state.staging.outputs.previews_clone_mask_role_arn}"
    ]) && alltrue([
      for name, rule in try(jsondecode(file(var.stack_file)).resource.aws_cloudwatch_event_rule, {}) :
      jsondecode(rule.event_pattern).detail.SourceIdentifier[0] == jsondecode(file(var.stack_file)).resource.aws_rds_cluster_instance.database_clone.identifier && length(jsondecode(rule.event_pattern).detail.SourceIdentifier) == 1
    ])
    error_message = "A preview's masking job must be its own (<clone>-pr-${var.pull_request}-mask), run with staging's role for previews, and started by its own clone's instance only."
  }
  # Its clone is a copy-on-write clone named for the pull request, destroyed with it (no final snapshot).
  assert {
    condition = alltrue([
      for name, cluster in try(jsondecode(file(var.stack_file)).resource.aws_rds_cluster, {}) :
      try(cluster.restore_to_point_in_time.restore_type, "") == "copy-on-write" && endswith(cluster.cluster_identifier, "-pr-${var.pull_request}") &&
      try(cluster.skip_final_snapshot, false) == true && !try(cluster.deletion_protection, false)
    ])
    error_message = "A preview's cluster must be its own copy-on-write clone, named <source>-<stack>-pr-${var.pull_request}, with no final snapshot and no deletion protection."
  }

  # Its own names, so that it can never take staging's.
  assert {
    condition = alltrue([
      for name in [aws_ecs_task_definition.stg_server.family, aws_ecs_service.stg_server.name, aws_lb_target_group.stg_server_target.name, aws_cloudwatch_log_group.stg_server.name] :
      strcontains(name, "pr-${var.pull_request}")
    ])
    error_message = "Every name of the preview must carry pr-${var.pull_request}."
  }
  assert {
    condition     = !aws_ecs_service.stg_server.enable_execute_command
    error_message = "A preview runs a pull request's code next to production data: no ECS Exec shell into it."
  }
  assert {
    condition     = aws_ecs_service.stg_server.cluster == data.terraform_remote_state.staging.outputs.previews_cluster_arn
    error_message = "The preview must run in the staging cluster, read from the staging state."
  }
}

run "apply" {
  command = apply

  # Terraform deploys a preview: the service runs the revision this apply registered.
  assert {
    condition     = aws_ecs_service.stg_server.task_definition == aws_ecs_task_definition.stg_server.arn
    error_message = "The preview's service must run the task definition revision of this apply."
  }
  assert {
    condition     = one([for action in aws_alb_listener_rule.stg_server_rule.action : action if action.type == "forward"]).target_group_arn == aws_lb_target_group.stg_server_target.arn
    error_message = "The preview's rule must forward to the preview's target group."
  }
}
