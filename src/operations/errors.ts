/**
 * Every failure of a day-2 command is one line (scripts/command.ts prints it): an AWS error, a missing
 * or expired credential, an unreachable endpoint, a stack never deployed. Pure: no AWS call here.
 */

/** A failure already worded for the person at the terminal: one line, printed as it is. */
export class OperationError extends Error {
  public constructor(message: string, public readonly exitCode = 1) {
    super(message);
    this.name = 'OperationError';
  }
}

/** An AWS call that failed: `call` names it ("ECS DescribeServices"), `code` is AWS's error name. */
export class AwsCallError extends OperationError {
  public constructor(
    public readonly call: string,
    public readonly code: string,
    message: string,
    public readonly status?: number,
  ) {
    super(message);
    this.name = 'AwsCallError';
  }
}

/** The first non-empty line of a text, trimmed (AWS messages and SDK errors run over several). */
export function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const REFUSED_CREDENTIALS = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'AuthFailure']);

/** What the SDK threw (a service exception, a credentials error, a Node network error), as one line naming the call. */
export function awsErrorLine(call: string, error: unknown): AwsCallError {
  const failure = (error ?? {}) as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number }; Code?: string };
  const name = failure.name && failure.name !== 'Error' ? failure.name : failure.Code ?? failure.code ?? 'Error';
  const message = firstLine(String(failure.message ?? error));
  const status = failure.$metadata?.httpStatusCode;
  const make = (text: string) => new AwsCallError(call, name, text, status);
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return make(`${call}: no AWS credentials: set AWS_PROFILE (and run aws sso login for an SSO profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (${message})`);
  }
  if (EXPIRED.has(name) || /security token included in the request is expired/i.test(message)) {
    return make(`${call}: the AWS credentials have expired (${name}): run aws sso login, or get new keys`);
  }
  if (REFUSED_CREDENTIALS.has(name)) return make(`${call}: AWS refused the credentials (${name}: ${message}): check AWS_PROFILE and the account`);
  if (failure.code && NETWORK_CODES.has(failure.code)) return make(`${call}: cannot reach AWS (${failure.code}${process.env.AWS_ENDPOINT_URL ? ` at AWS_ENDPOINT_URL=${process.env.AWS_ENDPOINT_URL}` : ''}): check the network, the proxy or the endpoint`);
  if (name === 'SyntaxError' && status !== undefined) {
    return make(`${call}: HTTP ${status} with an answer that is not the API's (the endpoint does not implement this call?)`);
  }
  return make(`${call}: ${name}: ${message}`);
}
