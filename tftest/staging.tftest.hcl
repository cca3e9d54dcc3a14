# The invariants of every staging stack, in Terraform's own test language.
#
# `npm test` runs this file against each synthesized stack (cdktf.out/stacks/<stack>), offline,
# with the AWS provider mocked: no account, no credentials. `npm run tftest` does the same. To run it
# by hand (Terraform wants the test directory inside the configuration directory):
#
#   npm run synth
#   cp -r tftest cdktf.out/stacks/stg/
#   terraform -chdir=cdktf.out/stacks/stg init
#   terraform -chdir=cdktf.out/stacks/stg test -test-directory=tftest
#
# Two runs, because each costs a few seconds: the invariants at plan, then an apply against the mock.
# Most assertions read the planned values. Two invariants are not values (which resource types
# the configuration manages, and a lifecycle setting), so they read the stack's own JSON.

variables {
  # The article's contract. For an environment that differs on purpose, npm test writes its values here.
  tag_prefix        = "stg"
  container_port    = 1323
  health_check_path = "/healthcheck"
  stack_file        = "cdk.tf.json"
  # true when the file consents to an endpoint open to everyone (listenerRule.access.public), as synth
  # and the guardrails read it (src/environment/consent.ts): then the access invariants do not apply.
  public_by_consent = false
}

mock_provider "aws" {
  # The provider checks ARN formats even on mocked values, so the referenced ones get a real shape.
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/stg-server-target/0123456789abcdef" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/stg_ecs_cluster" }
  }
  mock_resource "aws_ecs_service" {
    defaults = { id = "arn:aws:ecs:ap-northeast-1:123456789012:service/stg_ecs_cluster/stg-server" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/stg-server" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:ap-northeast-1:123456789012:log-group:stg-server" }
  }
  mock_resource "aws_security_group" {
    defaults = { id = "sg-0aaaaaaaaaaaaaaaa" }
  }
  # a clone (service.database.access "clone"): its master secret, which the container and the execution role name
  mock_resource "aws_rds_cluster" {
    defaults = {
      arn                = "arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db-stg-clone"
      endpoint           = "prod-db-stg-clone.cluster-c0abcdefghij.ap-northeast-1.rds.amazonaws.com"
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-0123abcd-AbCdEf", kms_key_id = "", secret_status = "active" }]
    }
  }
  # a masked clone's masking job: the project its EventBridge rule's target names
  mock_resource "aws_codebuild_project" {
    defaults = { arn = "arn:aws:codebuild:ap-northeast-1:123456789012:project/prod-db-stg-clone-mask" }
  }
  mock_data "aws_lb" {
    defaults = {
      arn      = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/prod-alb/0123456789abcdef"
      dns_name = "prod-alb-1234567890.ap-northeast-1.elb.amazonaws.com"
      zone_id  = "Z14GRHDCWA56QT"
      vpc_id   = "vpc-0123456789abcdef0"
    }
  }
  mock_data "aws_lb_listener" {
    defaults = {
      arn      = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef"
      protocol = "HTTPS"
    }
  }
  mock_data "aws_route53_zone" {
    defaults = { zone_id = "Z0123456789ABCDEFGHIJ" }
  }
  mock_data "aws_ecr_repository" {
    defaults = { repository_url = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server" }
  }
}

run "plan" {
  command = plan

  # The article's port and health check.
  assert {
    condition     = aws_lb_target_group.stg_server_target.port == var.container_port
    error_message = "The target group must forward to the container port, ${var.container_port}."
  }
  assert {
    condition     = aws_lb_target_group.stg_server_target.health_check[0].path == var.health_check_path
    error_message = "The health check must call ${var.health_check_path}."
  }
  # read from the stack's JSON: with a clone, the planned definition holds the clone's endpoint, known only at apply
  assert {
    condition     = jsondecode(jsondecode(file(var.stack_file)).resource.aws_ecs_task_definition.stg_server.container_definitions)[0].portMappings[0].containerPort == var.container_port
    error_message = "The container must listen on ${var.container_port}."
  }
  assert {
    condition     = one(aws_ecs_service.stg_server.load_balancer).container_port == var.container_port
    error_message = "The service must register the container port with the target group."
  }

  # The listener rule admits only some callers: a narrow allowlist (at most a /8 or an IPv6 /32), a
  # header, or a login; unless the file consents to a public endpoint.
  assert {
    condition = var.public_by_consent || anytrue([
      for condition in aws_alb_listener_rule.stg_server_rule.condition :
      length(condition.http_header) > 0 || anytrue([
        for source in condition.source_ip :
        alltrue([for cidr in source.values : tonumber(split("/", cidr)[1]) >= (strcontains(cidr, ":") ? 32 : 8)])
      ])
    ]) || anytrue([for action in aws_alb_listener_rule.stg_server_rule.action : startswith(action.type, "authenticate-")])
    error_message = "The staging listener rule must admit only some callers: a narrow source_ip allowlist, an http_header condition, or a login action (or the file sets listenerRule.access.public)."
  }
  # ...and so does every further rule an allowlist spreads over (read from the JSON: their number varies).
  assert {
    condition = var.public_by_consent || alltrue([
      for name, rule in try(jsondecode(file(var.stack_file)).resource.aws_alb_listener_rule, {}) :
      anytrue([for condition in rule.condition : can(condition.http_header) || can(condition.source_ip)]) || anytrue([for action in rule.action : startswith(action.type, "authenticate-")])
    ])
    error_message = "Every staging listener rule must carry a source_ip or http_header condition, or a login action (or the file sets listenerRule.access.public)."
  }

  # No production-side resource is managed. Which types a configuration manages is not a planned value,
  # so this reads the stack's JSON. The one database a stack may manage is a copy-on-write clone of its
  # own (service.database.access "clone"): a cluster, its instance and its subnet group, checked below.
  assert {
    condition = length([
      for type in keys(jsondecode(file(var.stack_file)).resource) : type
      if can(regex("^aws_(lb|alb|lb_listener|alb_listener|route53_zone|vpc|subnet|db_.+|rds_.+|ecr_repository)$", type)) && !contains(["aws_rds_cluster", "aws_rds_cluster_instance", "aws_db_subnet_group"], type)
    ]) == 0
    error_message = "The stack must not manage load balancers, listeners, hosted zones, VPCs, subnets, databases or the ECR repository."
  }
  # A managed cluster is a copy-on-write clone under an identifier of its own, never production's: it
  # skips its final snapshot and ignores its restore block (provider #32888); its instance is in it.
  assert {
    condition = alltrue([
      for name, cluster in try(jsondecode(file(var.stack_file)).resource.aws_rds_cluster, {}) :
      try(cluster.restore_to_point_in_time.restore_type, "") == "copy-on-write" &&
      contains(try(cluster.lifecycle.ignore_changes, []), "restore_to_point_in_time") &&
      try(cluster.skip_final_snapshot, false) == true &&
      lower(cluster.cluster_identifier) != lower(try(jsondecode(file(var.stack_file)).data.aws_rds_cluster.production.cluster_identifier, ""))
    ])
    error_message = "A managed cluster must be a copy-on-write clone (restore_type copy-on-write, restore block ignored, no final snapshot) under an identifier other than the production cluster's."
  }
  assert {
    condition = alltrue([
      for name, instance in try(jsondecode(file(var.stack_file)).resource.aws_rds_cluster_instance, {}) :
      startswith(instance.cluster_identifier, "$${aws_rds_cluster.")
    ]) && (length(try(jsondecode(file(var.stack_file)).resource.aws_db_subnet_group, {})) == 0 || length(try(jsondecode(file(var.stack_file)).resource.aws_rds_cluster, {})) > 0)
    error_message = "A managed DB instance must be in the stack's own clone, and a subnet group only beside one."
  }

  # CI owns the running revision: Terraform ignores the service's task_definition (a lifecycle setting,
  # read from the JSON), and the service names the family, so each deploy takes the latest ACTIVE revision.
  assert {
    condition     = try(contains(jsondecode(file(var.stack_file)).resource.aws_ecs_service.stg_server.lifecycle.ignore_changes, "task_definition"), false)
    error_message = "The service must ignore task_definition: CI deploys new revisions, Terraform must not roll them back."
  }
  assert {
    condition     = aws_ecs_service.stg_server.task_definition == aws_ecs_task_definition.stg_server.family
    error_message = "The service must name the family, so that it runs the latest ACTIVE revision."
  }

  # Working hours (when the stack has them; read from the JSON, as they are lifecycle settings and
  # dependencies). The schedule owns the task count: Terraform ignores the target's capacities and the
  # service's desired_count. Application Auto Scaling refuses concurrent changes to one target, so every
  # scheduled action but the first depends on another.
  assert {
    condition = alltrue([
      for name, target in try(jsondecode(file(var.stack_file)).resource.aws_appautoscaling_target, {}) :
      contains(try(target.lifecycle.ignore_changes, []), "min_capacity") && contains(try(target.lifecycle.ignore_changes, []), "max_capacity") &&
      target.resource_id == "service/$${aws_ecs_cluster.stg_ecs_cluster.name}/$${aws_ecs_service.stg_server.name}"
    ])
    error_message = "A scalable target must be the staging service's, and ignore min_capacity and max_capacity (the scheduled actions own them)."
  }
  assert {
    condition = length(try(jsondecode(file(var.stack_file)).resource.aws_appautoscaling_target, {})) == 0 || try(contains(jsondecode(file(var.stack_file)).resource.aws_ecs_service.stg_server.lifecycle.ignore_changes, "desired_count"), false)
    error_message = "A scheduled service must ignore desired_count, or every apply fights the schedule."
  }
  assert {
    condition = length([
      for name, action in try(jsondecode(file(var.stack_file)).resource.aws_appautoscaling_scheduled_action, {}) : name
      if length([for address in try(action.depends_on, []) : address if startswith(address, "aws_appautoscaling_scheduled_action.")]) > 0
    ]) >= length(try(jsondecode(file(var.stack_file)).resource.aws_appautoscaling_scheduled_action, {})) - 1
    error_message = "Scheduled actions must be created one after the other: every one but the first depends on another (ConcurrentUpdateException)."
  }

  # Capacity: a service on a strategy has no launch type, and its cluster offers every provider it names.
  assert {
    # (Terraform evaluates both sides of ||, so the second is wrapped in try for a stack without a strategy.)
    condition = length(try(jsondecode(file(var.stack_file)).resource.aws_ecs_service.stg_server.capacity_provider_strategy, [])) == 0 || try(
      !can(jsondecode(file(var.stack_file)).resource.aws_ecs_service.stg_server.launch_type) &&
      alltrue([
        for item in jsondecode(file(var.stack_file)).resource.aws_ecs_service.stg_server.capacity_provider_strategy :
        contains(jsondecode(file(var.stack_file)).resource.aws_ecs_cluster_capacity_providers.stg_ecs_cluster.capacity_providers, item.capacity_provider)
      ]),
      false
    )
    error_message = "A service with a capacity provider strategy must have no launch_type, and the staging cluster must offer each provider it names."
  }

  # The ECR lifecycle rule keeps the tag the service runs.
  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.stg-server-lifecycle_policy.policy).rules[0].selection.tagPrefixList == [var.tag_prefix]
    error_message = "The ECR lifecycle rule must keep the newest images tagged ${var.tag_prefix}."
  }
}

run "apply" {
  # the whole stack applies against the mock, and the references land where they must
  command = apply

  assert {
    condition     = aws_ecs_service.stg_server.cluster == aws_ecs_cluster.stg_ecs_cluster.arn
    error_message = "The service must run in the staging cluster, not production's."
  }
  assert {
    condition     = one(aws_ecs_service.stg_server.load_balancer).target_group_arn == aws_lb_target_group.stg_server_target.arn
    error_message = "The service must register with the staging target group."
  }
  assert {
    condition     = one([for action in aws_alb_listener_rule.stg_server_rule.action : action if action.type == "forward"]).target_group_arn == aws_lb_target_group.stg_server_target.arn
    error_message = "The listener rule must forward to the staging target group."
  }
}
