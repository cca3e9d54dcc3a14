import { z } from 'zod';
import { LISTENER_ARN, elbArnKind } from './aws-ids';
import { isReference, orReference, stringRule, TEMPLATE_SYNTAX, REFERENCE_RULE, referenceFields } from './rule';

// ELBv2 CreateRule, Priority: 1–50000.
export const PRIORITY = { min: 1, max: 50000 } as const;

// ELBv2 HostHeaderConditionConfig: up to 128 characters of A–Z, a–z, 0–9, - . * ?, with at least one "."
// and only letters after the last one.
export function isValidHostHeader(value: string): boolean {
  return value.length <= 128 && /^[A-Za-z0-9.*?-]+$/.test(value) && /\.[A-Za-z]+$/.test(value);
}
export const HOST_HEADER_RULE =
  'must be a host name of at most 128 characters: letters, digits, "-", ".", wildcards "*" and "?", ending in a dot and letters (e.g. stg-api.example.com)';
/** `isValidHostHeader` as one regex, for the editor schema. */
export const HOST_HEADER = /^(?=.{1,128}$)[A-Za-z0-9.*?-]*\.[A-Za-z]+$/;
export const hostHeader = stringRule(HOST_HEADER_RULE, isValidHostHeader, HOST_HEADER);

// ELBv2 quotas, "Condition values per rule": 5 (the host header takes one).
export const MAX_CONDITION_VALUES = 5;

// ELBv2 API Reference: a listener ARN, not a load balancer or target group ARN.
export const listenerArn = z.string().superRefine((value, context) => {
  if (isReference(value) || LISTENER_ARN.test(value)) return;
  if (TEMPLATE_SYNTAX.test(value)) {
    context.addIssue({ code: 'custom', input: value, message: REFERENCE_RULE });
    return;
  }
  const kind = elbArnKind(value);
  const found = kind === 'loadbalancer' ? 'a load balancer ARN' : kind === 'targetgroup' ? 'a target group ARN' : kind === 'listener-rule' ? 'a listener rule ARN' : undefined;
  context.addIssue({
    code: 'custom',
    input: value,
    message: `must be an ALB listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>)${found ? `, not ${found}` : ''}`,
  });
}).meta({ pattern: orReference(LISTENER_ARN) });
referenceFields.add(listenerArn, { reference: true });

/** The region inside a listener ARN. */
export function listenerRegion(arn: string): string | undefined {
  return LISTENER_ARN.exec(arn)?.[1];
}

// ALB host-header matching is case-insensitive, with "*" for any run of characters and "?" for exactly one.
export function hostMatches(pattern: string, host: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(host.replace(/\.$/, ''));
}
