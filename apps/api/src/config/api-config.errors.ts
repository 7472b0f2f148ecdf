// The error of an API configuration that cannot run.
import { taggedError } from '@airtime/domain';

/** One or more environment variables are missing or bad; the reason names each variable and what it expects, never its value. */
export class InvalidApiConfig extends taggedError('InvalidApiConfig', {
  code: 'INVALID_API_CONFIG',
  retryable: false,
})<{ readonly problems: readonly string[] }>((e) => `invalid API configuration: ${e.problems.join('; ')}`) {}
