"""moto_server, plus the Application Auto Scaling tagging calls moto 5.2.1 lacks (gaps.ts).

The AWS provider lists a scalable target's tags after every create and read; moto answers HTTP 500
("not implemented"), so no `aws_appautoscaling_target` could be applied. Tags are kept per ARN here,
as AWS keeps them. Arguments are moto_server's (`-H 127.0.0.1 -p <port>`).
"""
import json
import sys

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.server import main

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


ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource
ApplicationAutoScalingResponse.tag_resource = tag_resource
ApplicationAutoScalingResponse.untag_resource = untag_resource

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
