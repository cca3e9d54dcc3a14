"""What moto_server spends time on that the suite does not need; imported by moto_server.py before
the server starts. Each shortcut is in gaps.ts (EMULATOR_SHORTCUTS), with what was measured.

- Route 53: the AWS provider waits for every record change to be INSYNC, and its wait sleeps 10 to
  30 s (random) before its first GetChange, though moto's changes are INSYNC from the start. The
  provider skips the wait when ChangeResourceRecordSets answers no ChangeInfo, so the answer to the
  provider (by its User-Agent) leaves ChangeInfo out; boto3 and the AWS CLI still get it, INSYNC.
- IAM: AWS managed policies in the `aws` partition only. moto makes an account's IAM backend for
  every partition (six) at its first request, and parsed ~1,400 policies into each: ~1.2 s of CPU.
- EC2: no default AMIs (~2,400 per region, 0.3 s each region): no stack runs an instance.
- The server listed its own package directory (a listdir and a stat per entry) on every request.
"""
import functools
import os

from moto import backends
from moto.iam.models import IAMBackend
from moto.route53.responses import Route53

# read by moto when an EC2 backend is made, not at import
os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")

PROVIDER_USER_AGENT = "terraform-provider-aws/"

_change_resource_record_sets = Route53.change_resource_record_sets


def change_resource_record_sets(self):
    answer = _change_resource_record_sets(self)
    if PROVIDER_USER_AGENT in self.headers.get("User-Agent", ""):
        answer.result.pop("ChangeInfo", None)
    return answer


Route53.change_resource_record_sets = change_resource_record_sets

_init_aws_policies = IAMBackend._init_aws_policies


def init_aws_policies(self):
    # an IAM backend's region is its partition
    return _init_aws_policies(self) if self.region_name == "aws" else []


IAMBackend._init_aws_policies = init_aws_policies

_list_of_moto_modules = backends.list_of_moto_modules


@functools.cache
def list_of_moto_modules():
    return tuple(_list_of_moto_modules())


backends.list_of_moto_modules = list_of_moto_modules
