"""moto_server, plus the Application Auto Scaling tagging calls moto 5.2.1 lacks, ECS's new
deployment on UpdateService, a retried CreateRule answered with its own rule, a retried SDK call
answered as its first attempt was, no KMS key on an unencrypted Aurora cluster, and CodeBuild's
DeleteProject by ARN (gaps.ts, OTHER_GAPS, OPERATIONS_GAPS and DATABASE_GAPS).

The AWS provider lists a scalable target's tags after every create and read; moto answers HTTP 500
("not implemented"), so no `aws_appautoscaling_target` could be applied. Tags are kept per ARN here,
as AWS keeps them. Arguments are moto_server's (`-H 127.0.0.1 -p <port>`).
"""
import copy
import json
import sys
import threading
from collections import OrderedDict

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.codebuild.models import CodeBuildBackend
from moto.core.utils import utcnow
from moto.ecs.models import EC2ContainerServiceBackend
from moto.elbv2.models import ELBv2Backend, FakeAction
from moto.moto_api._internal import mock_random
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.rds.models import DBCluster
from moto.server import main

# before the server starts: the waits and the start-up work the suite does not need (gaps.ts, EMULATOR_SHORTCUTS)
import moto_speed  # noqa: E402,F401

TAGS: dict = {}


def list_tags_for_resource(self):
    arn = json.loads(self.body)["ResourceARN"]
    return json.dumps({"Tags": TAGS.get(arn, {})})


def tag_resource(self):
    body = json.loads(self.body)
    TAGS.setdefault(body["ResourceARN"], {}).update(body.get("Tags", {}))
    return "{}"


def untag_resource(self):
    body = json.loads(self.body)
    for key in body.get("TagKeys", []):
        TAGS.get(body["ResourceARN"], {}).pop(key, None)
    return "{}"


# RegisterScalableTarget's own Tags (the provider sends its default tags there, a preview's): kept
# under the ARN it answers, as AWS tags the new target (moto 5.2.1 drops them).
_register_scalable_target = ApplicationAutoScalingResponse.register_scalable_target


def register_scalable_target(self):
    answer = _register_scalable_target(self)
    tags = json.loads(self.body).get("Tags")
    if tags:
        TAGS.setdefault(json.loads(answer)["ScalableTargetARN"], {}).update(tags)
    return answer


ApplicationAutoScalingResponse.register_scalable_target = register_scalable_target
ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource
ApplicationAutoScalingResponse.tag_resource = tag_resource
ApplicationAutoScalingResponse.untag_resource = untag_resource

# UpdateService with another task definition: moto 5.2.1 stores it on the service but leaves the
# PRIMARY deployment on the old one, so no rollout could ever be seen to reach the new revision. ECS
# starts a PRIMARY deployment on the new revision's ARN; moto runs no tasks, so it is complete at once
# (COMPLETED when the service's running count, MOTO_ECS_SERVICE_RUNNING, reaches the desired count)
# and replaces the old one. What the service itself stores (a bare family, DEPLOY_GAPS) is unchanged.
_update_service = EC2ContainerServiceBackend.update_service


def update_service(self, service_properties):
    task_definition = service_properties.get("task_definition")
    service = _update_service(self, service_properties)
    primary = next((d for d in service.deployments if d.get("status") == "PRIMARY"), None)
    if task_definition and primary is not None:
        arn = self.describe_task_definition(task_definition).arn
        if primary.get("taskDefinition") != arn:
            deployment_id = f"ecs-svc/{mock_random.randint(0, 32**12)}"
            complete = service.running_count >= service.desired_count
            now = utcnow()
            service.deployments = [{
                **primary,
                "id": deployment_id,
                "taskDefinition": arn,
                "desiredCount": service.desired_count,
                "runningCount": service.running_count,
                "pendingCount": max(service.desired_count - service.running_count, 0),
                "failedTasks": 0,
                "rolloutState": "COMPLETED" if complete else "IN_PROGRESS",
                "rolloutStateReason": f"ECS deployment {deployment_id} {'completed' if complete else 'in progress'}.",
                "createdAt": now,
                "updatedAt": now,
            }]
    return service


EC2ContainerServiceBackend.update_service = update_service

# CreateRule, retried: under load the server sometimes closes a kept-alive connection mid-response
# (OTHER_GAPS); the provider retries, and moto answers PriorityInUse against the rule the first attempt
# made, which AWS never gets to see. A retry (same listener, priority, conditions and actions) gets that
# rule back; any other rule on a priority in use is still refused.
_create_rule = ELBv2Backend.create_rule


def create_rule(self, listener_arn, conditions, priority, actions, tags=None):
    listeners = self.describe_listeners(None, [listener_arn])
    for rule in (listeners[0].rules.values() if listeners else []):
        if str(rule.priority) == str(priority) and not rule.is_default and rule.conditions == conditions \
                and [action.data for action in rule.actions] == [FakeAction(copy.deepcopy(action)).data for action in actions]:
            return rule
    return _create_rule(self, listener_arn, conditions, priority, actions, tags)


ELBv2Backend.create_rule = create_rule

# An unencrypted Aurora cluster: moto 5.2.1 answers KmsKeyId "default_kms_key_id", which AWS leaves out
# (RDS API Reference, DBCluster: "If StorageEncrypted is enabled, the Amazon Web Services KMS key
# identifier"). The provider's data source passes it on, and the clone's kms_key_id, validated as an
# ARN, could not be planned (seen: '"kms_key_id" (default_kms_key_id) is an invalid ARN'). Unencrypted
# clusters here have none, as in AWS; an encrypted one keeps moto's value.
_cluster_init = DBCluster.__init__


def cluster_init(self, *args, **kwargs):
    _cluster_init(self, *args, **kwargs)
    if not self.storage_encrypted and self.kms_key_id == "default_kms_key_id":
        self.kms_key_id = None


DBCluster.__init__ = cluster_init

# DeleteProject names the project by name or ARN (the provider's ID is the ARN); moto 5.2.1 looks the
# name up only, so a destroyed project stayed (seen: every aws_codebuild_project still listed after
# destroy), and a preview reopened could not create its masking job's project again.
_delete_project = CodeBuildBackend.delete_project


def delete_project(self, project_name):
    by_arn = next((name for name, project in self.codebuild_projects.items() if project.arn == project_name), None)
    return _delete_project(self, by_arn or project_name)


CodeBuildBackend.delete_project = delete_project

# A retried request gets its first attempt's answer. Under load a response sometimes never reaches the
# client although moto made the change and answered 200 (seen: IAM GetUser answered 200 in 3 ms, and
# the provider sent attempt 2 of the same amz-sdk-invocation-id 120 ms later, with no response logged
# for attempt 1); the AWS SDKs then retry, and moto refused the retry of a change it had made
# (InvalidPermission.Duplicate on stg_server_from_alb's AuthorizeSecurityGroupIngress, PriorityInUse on
# CreateRule), which AWS never gets to see. Each attempt of one SDK call carries the same
# amz-sdk-invocation-id: a change (not GET or HEAD) answered 2xx is kept by that ID, and an attempt after
# the first with that ID gets the kept answer, without reaching moto. A new call (another ID) is answered
# by moto as before, so a real duplicate is still refused (gaps.ts, OTHER_GAPS).
ANSWERS: "OrderedDict[str, tuple]" = OrderedDict()
ANSWERS_LOCK = threading.Lock()
_dispatch = DomainDispatcherApplication.__call__


def attempt_of(environ) -> int:
    """The attempt number of amz-sdk-request ("attempt=2; max=4"), 1 without one."""
    fields = dict(field.strip().partition("=")[::2] for field in environ.get("HTTP_AMZ_SDK_REQUEST", "").split(";"))
    return int(fields["attempt"]) if fields.get("attempt", "").isdigit() else 1


def dispatch(self, environ, start_response):
    invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
    if not invocation or environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
        return _dispatch(self, environ, start_response)
    with ANSWERS_LOCK:
        kept = ANSWERS.get(invocation)
    if kept is not None and attempt_of(environ) > 1:
        status, headers, body = kept
        start_response(status, headers)
        return [body]
    answer = {}

    def keep_start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, list(headers)
        return start_response(status, headers, exc_info)

    body = b"".join(_dispatch(self, environ, keep_start_response))
    if answer.get("status", "").startswith("2"):
        with ANSWERS_LOCK:
            ANSWERS[invocation] = (answer["status"], answer["headers"], body)
            while len(ANSWERS) > 5000:
                ANSWERS.popitem(last=False)
    return [body]


DomainDispatcherApplication.__call__ = dispatch

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
