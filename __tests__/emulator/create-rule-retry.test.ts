import { describeWithEmulator, Emulator, ProductionAccount } from '../support/emulator';

/**
 * The emulator's CreateRule, as a retrying client meets it (emulator/moto_server.py, OTHER_GAPS): the same
 * request again gets the rule its first attempt made; another rule on that priority is still refused.
 */
describeWithEmulator('the emulator’s CreateRule, retried', () => {
  let emulator: Emulator;
  let account: ProductionAccount;
  const createRule = (host: string, priority = 4711) =>
    emulator.aws([
      'elbv2', 'create-rule', '--output', 'json', '--listener-arn', account.httpsListenerArn, '--priority', String(priority),
      '--conditions', JSON.stringify([{ Field: 'host-header', HostHeaderConfig: { Values: [host] } }]),
      '--actions', JSON.stringify([{ Type: 'forward', TargetGroupArn: account.productionTargetGroupArn }]),
    ]).then((out) => JSON.parse(out).Rules[0] as { RuleArn: string; Priority: string });

  beforeAll(async () => {
    emulator = await Emulator.start();
    account = await emulator.createProductionAccount();
  });
  afterAll(() => emulator?.stop());

  test('the same request twice: one rule, the first attempt’s', async () => {
    // GIVEN a rule just created WHEN the identical request comes again
    const first = await createRule('retry.example.com');
    const second = await createRule('retry.example.com');
    // THEN the answer is that rule, and the listener holds it once
    expect(second.RuleArn).toBe(first.RuleArn);
    const rules = JSON.parse(await emulator.aws(['elbv2', 'describe-rules', '--output', 'json', '--listener-arn', account.httpsListenerArn])).Rules;
    expect(rules.filter((rule: { Priority: string }) => rule.Priority === '4711')).toHaveLength(1);
  });

  test('another rule on a priority in use is refused, as AWS does', async () => {
    // GIVEN a rule on 4712 WHEN another host asks for 4712 THEN PriorityInUse
    await createRule('first.example.com', 4712);
    await expect(createRule('second.example.com', 4712)).rejects.toThrow(/PriorityInUse/);
  });
});
