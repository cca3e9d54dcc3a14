import { describeWithEmulator, Emulator } from '../support/emulator';
import { EMULATOR_SHORTCUTS } from '../support/emulator/gaps';

/**
 * The suite's moto_server saves time where AWS would only make it wait (emulator/moto_speed.py; gaps.ts
 * EMULATOR_SHORTCUTS): each shortcut reaches only what it says, and the rest answers as before.
 */

/** A Route 53 REST call, as a signed SDK request reaches moto (moto reads the service from the credential scope). */
function route53(emulator: Emulator, path: string, body: string, userAgent: string): Promise<string> {
  return fetch(`${emulator.endpoint}/2013-04-01/${path}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/xml',
      'user-agent': userAgent,
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=0',
    },
  }).then(async (response) => {
    const text = await response.text();
    if (!response.ok) throw new Error(`route53 ${path}: HTTP ${response.status} ${text}`);
    return text;
  });
}

const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';
const change = (name: string) =>
  `<ChangeResourceRecordSetsRequest xmlns="${XMLNS}"><ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet>` +
  `<Name>${name}</Name><Type>CNAME</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>x.example.com</Value></ResourceRecord></ResourceRecords>` +
  '</ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>';
/** The AWS provider's User-Agent, as provider 5.100.0 sends it (its SDK's part shortened). */
const PROVIDER = 'APN/1.0 HashiCorp/1.0 Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-aws/5.100.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.3';
const BOTO3 = 'Boto3/1.40.0 md/Botocore#1.40.0 ua/2.1 os/linux lang/python#3.11.7';

describeWithEmulator('the emulator’s shortcuts (moto_speed.py)', () => {
  let emulator: Emulator;
  let zone: string;
  beforeAll(async () => {
    emulator = await Emulator.start();
    const created = await route53(emulator, 'hostedzone', `<CreateHostedZoneRequest xmlns="${XMLNS}"><Name>example.com</Name><CallerReference>shortcuts</CallerReference></CreateHostedZoneRequest>`, BOTO3);
    zone = /<Id>\/hostedzone\/([^<]+)<\/Id>/.exec(created)![1];
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  test('a record change answers the AWS provider without ChangeInfo, so that it does not wait; the record is made all the same', async () => {
    expect(EMULATOR_SHORTCUTS.route53ChangeInfo).toContain('terraform-provider-aws/');
    const answer = await route53(emulator, `hostedzone/${zone}/rrset`, change('provider.example.com'), PROVIDER);
    expect(answer).toContain('ChangeResourceRecordSetsResponse');
    expect(answer).not.toContain('ChangeInfo');
    const records = await emulator.aws(['route53', 'list-resource-record-sets', '--hosted-zone-id', zone, '--query', 'ResourceRecordSets[].Name', '--output', 'text']);
    expect(records.split(/\s+/)).toContain('provider.example.com.');
  });

  test('every other caller still gets ChangeInfo, INSYNC: boto3 by its User-Agent, and the AWS CLI', async () => {
    expect(await route53(emulator, `hostedzone/${zone}/rrset`, change('boto3.example.com'), BOTO3)).toMatch(/<ChangeInfo>[\s\S]*<Status>INSYNC<\/Status>/);
    const batch = JSON.stringify({ Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'cli.example.com', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'x.example.com' }] } }] });
    expect((await emulator.aws(['route53', 'change-resource-record-sets', '--hosted-zone-id', zone, '--change-batch', batch, '--query', 'ChangeInfo.Status', '--output', 'text'])).trim()).toBe('INSYNC');
  });

  test('AWS managed policies are still there in the aws partition (the execution role attaches one); EC2 has no AMIs', async () => {
    const policy = await emulator.aws(['iam', 'get-policy', '--policy-arn', 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy', '--query', 'Policy.PolicyName', '--output', 'text']);
    expect(policy.trim()).toBe('AmazonECSTaskExecutionRolePolicy');
    expect(JSON.parse(await emulator.aws(['ec2', 'describe-images', '--owners', 'amazon', '--query', 'Images', '--output', 'json']))).toEqual([]);
  });
});
