import { execFile } from 'node:child_process';
import { describeWithEmulator, Emulator, ProductionAccount, pythonFacts } from '../support/emulator';

/**
 * A retried SDK call, as the emulator meets it (emulator/moto_server.py, OTHER_GAPS): an attempt after the
 * first of one call (the same amz-sdk-invocation-id) gets the first attempt's answer, as the lost response
 * would have been; a new call for the same rule is refused as AWS refuses it. The calls are boto3's, with
 * the two headers every AWS SDK sends set as a retry sends them.
 */
const SCRIPT = `
import json, sys, boto3, botocore
endpoint, group, source, invocation, attempt = sys.argv[1:6]
ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="ap-northeast-1", aws_access_key_id="testing", aws_secret_access_key="testing", config=botocore.config.Config(retries={"max_attempts": 1}))
def headers(request, **_):
    for name, value in (("amz-sdk-invocation-id", invocation), ("amz-sdk-request", f"attempt={attempt}; max=5")):
        del request.headers[name]
        request.headers[name] = value
ec2.meta.events.register("before-send.ec2.AuthorizeSecurityGroupIngress", headers)
try:
    answer = ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8443, "ToPort": 8443, "UserIdGroupPairs": [{"GroupId": source, "Description": "retried"}]}])
    print(json.dumps({"rules": [rule["SecurityGroupRuleId"] for rule in answer["SecurityGroupRules"]]}))
except botocore.exceptions.ClientError as error:
    print(json.dumps({"error": error.response["Error"]["Code"]}))
`;

describeWithEmulator('the emulator’s answer to a retried SDK call', () => {
  let emulator: Emulator;
  let account: ProductionAccount;
  const authorize = (invocation: string, attempt: number) =>
    new Promise<{ rules?: string[]; error?: string }>((resolve, reject) => {
      execFile(pythonFacts()!.executable, ['-c', SCRIPT, emulator.endpoint, account.tasksSecurityGroupId, account.albSecurityGroupId, invocation, String(attempt)], { encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}: ${stderr}`));
        else resolve(JSON.parse(stdout));
      });
    });
  const rulesOnPort = async () =>
    JSON.parse(await emulator.aws(['ec2', 'describe-security-group-rules', '--output', 'json', '--filters', `Name=group-id,Values=${account.tasksSecurityGroupId}`])).SecurityGroupRules.filter(
      (rule: { FromPort: number; IsEgress: boolean }) => rule.FromPort === 8443 && !rule.IsEgress,
    );

  beforeAll(async () => {
    emulator = await Emulator.start();
    account = await emulator.createProductionAccount();
  });
  afterAll(() => emulator?.stop());

  test('attempt 2 of an AuthorizeSecurityGroupIngress moto made gets attempt 1’s rule; the group holds it once', async () => {
    // GIVEN attempt 1 made the rule (its answer lost) WHEN attempt 2 of the same call comes
    const first = await authorize('11111111-2222-4333-8444-555555555555', 1);
    const retried = await authorize('11111111-2222-4333-8444-555555555555', 2);
    // THEN the same rule, once
    expect(first.rules).toHaveLength(1);
    expect(retried).toEqual(first);
    expect((await rulesOnPort()).map((rule: { SecurityGroupRuleId: string }) => rule.SecurityGroupRuleId)).toEqual(first.rules);
  });

  test('a new call for a rule the group has is refused, as AWS does (InvalidPermission.Duplicate)', async () => {
    expect(await authorize('66666666-7777-4888-8999-000000000000', 1)).toEqual({ error: 'InvalidPermission.Duplicate' });
  });
});
