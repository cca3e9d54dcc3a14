"""What the clone suite (__tests__/emulator/clone.test.ts) reads back after an apply, beside
production_account.py's dump: RDS (clusters, instances, subnet groups, cluster snapshots, instance
events), Secrets Manager, EC2 security groups and their rules, CodeBuild projects and builds,
EventBridge rules and targets, EventBridge Scheduler schedules. One process, one JSON answer:

    python3 clone_account.py <endpoint>
"""
import json
import sys

import boto3

REGION = "ap-northeast-1"


def without_metadata(answer):
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


def read(endpoint):
    def client(service):
        return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")

    rds, secrets, ec2, codebuild, events, scheduler = (client(name) for name in ("rds", "secretsmanager", "ec2", "codebuild", "events", "scheduler"))
    projects = codebuild.list_projects()["projects"]
    rules = events.list_rules()["Rules"]
    schedules = scheduler.list_schedules()["Schedules"]
    return {
        "clusters": sorted(rds.describe_db_clusters()["DBClusters"], key=lambda cluster: cluster["DBClusterIdentifier"]),
        "instances": sorted(rds.describe_db_instances()["DBInstances"], key=lambda instance: instance["DBInstanceIdentifier"]),
        "subnetGroups": rds.describe_db_subnet_groups()["DBSubnetGroups"],
        "clusterSnapshots": rds.describe_db_cluster_snapshots()["DBClusterSnapshots"],
        "instanceEvents": rds.describe_events(SourceType="db-instance")["Events"],
        "secrets": secrets.list_secrets()["SecretList"],
        "securityGroups": ec2.describe_security_groups()["SecurityGroups"],
        "securityGroupRules": ec2.describe_security_group_rules()["SecurityGroupRules"],
        "projects": codebuild.batch_get_projects(names=projects)["projects"] if projects else [],
        "builds": {project: codebuild.list_builds_for_project(projectName=project)["ids"] for project in projects},
        "rules": rules,
        "targets": {rule["Name"]: events.list_targets_by_rule(Rule=rule["Name"])["Targets"] for rule in rules},
        "schedules": [without_metadata(scheduler.get_schedule(Name=schedule["Name"], GroupName=schedule.get("GroupName", "default"))) for schedule in schedules],
    }


if __name__ == "__main__":
    json.dump(read(sys.argv[1]), sys.stdout, default=str, sort_keys=True)
