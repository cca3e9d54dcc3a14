import { z } from 'zod';
import { elbArnKind, HOST_HEADER, HOST_HEADER_RULE, isValidHostHeader, LISTENER_ARN } from '../../aws/elb';
import { isReference, REFERENCE_RULE, TEMPLATE_SYNTAX } from '../../kit/reference';
import { orReference, referenceFields, stringRule } from './rule';

export const hostHeader = stringRule(HOST_HEADER_RULE, isValidHostHeader, HOST_HEADER);

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
