import { isCidr, isNetworkAddress, networkOf } from '../../src/aws/cidr';

describe('ELBv2 SourceIpConditionConfig: a CIDR', () => {
  test.each<[string, string, boolean]>([
    ['IPv4 /24', '203.0.113.0/24', true],
    ['IPv4 /0', '0.0.0.0/0', true],
    ['IPv4 /32, the most bits', '203.0.113.7/32', true],
    ['IPv4 /33, one past', '203.0.113.7/33', false],
    ['IPv6 /128, the most bits', '2001:db8::1/128', true],
    ['IPv6 /129, one past', '2001:db8::1/129', false],
    ['IPv6 /33 (past IPv4 bits, within IPv6)', '2001:db8::/33', true],
    ['no prefix', '203.0.113.7', false],
    ['a bare number', '24', false],
    ['a bare zero', '0', false],
    ['not an address', 'example.com/24', false],
    ['an empty prefix', '203.0.113.0/', false],
    ['a prefix with a leading zero', '203.0.113.0/024', false],
    ['a prefix with trailing letters', '203.0.113.0/24a', false],
    ['a prefix with leading letters', '203.0.113.0/a24', false],
    ['a word as the prefix', '203.0.113.0/x', false],
    ['a negative prefix', '203.0.113.0/-1', false],
    ['a four-digit prefix', '2001:db8::/1000', false],
    ['an address with a leading zero', '203.0.113.07/32', false],
  ])('%s: %s → %s', (_, value, valid) => {
    // WHEN / THEN
    expect(isCidr(value)).toBe(valid);
  });
});

describe('networkOf: the network a CIDR names, as AWS writes it', () => {
  test.each<[string, string | undefined]>([
    ['203.0.113.7/24', '203.0.113.0/24'],
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['203.0.113.7/32', '203.0.113.7/32'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['2001:db8::1/64', '2001:db8::/64'],
    ['not a cidr', undefined],
    ['203.0.113.7/33', undefined],
  ])('%s → %s', (value, network) => {
    expect(networkOf(value)).toBe(network);
  });
});

describe('isNetworkAddress: no bit set after the prefix (AWS rejects 203.0.113.7/24)', () => {
  test.each<[string, boolean]>([
    ['203.0.113.0/24', true],
    ['203.0.113.7/24', false],
    ['203.0.113.7/32', true],
    ['2001:db8::/64', true],
    ['2001:db8::1/64', false],
    ['not a cidr', false],
    ['203.0.113.0', false],
  ])('%s → %s', (value, expected) => {
    expect(isNetworkAddress(value)).toBe(expected);
  });
});
