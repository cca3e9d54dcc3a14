import { isInsideZone } from '../../src/aws/route53';

describe('isInsideZone: a record name inside, or at the apex of, a hosted zone', () => {
  test.each<[string, string, string, boolean]>([
    ['the apex', 'example.com', 'example.com', true],
    ['a subdomain', 'api.example.com', 'example.com', true],
    ['a deeper subdomain', 'a.b.example.com', 'example.com', true],
    ['a trailing dot on the record', 'api.example.com.', 'example.com', true],
    ['a trailing dot on the zone', 'api.example.com', 'example.com.', true],
    ['the apex with a trailing dot on one side', 'example.com.', 'example.com', true],
    ['different case', 'API.Example.COM', 'example.com', true],
    ['a name ending in the zone without a dot before it', 'notexample.com', 'example.com', false],
    ['the zone is inside the record, not the reverse', 'example.com', 'api.example.com', false],
    ['another zone', 'api.example.org', 'example.com', false],
    ['a name that starts with the zone', 'example.com.evil.org', 'example.com', false],
  ])('%s: %s in %s → %s', (_, record, zone, inside) => {
    // WHEN / THEN
    expect(isInsideZone(record, zone)).toBe(inside);
  });
});
