// The error of a consumer configuration that cannot run.
import { taggedError } from '@airtime/domain';

/** One or more environment variables are missing or bad; the reason names each variable and what it expects, never its value. */
export class InvalidConsumerConfig extends taggedError('InvalidConsumerConfig', {
  code: 'INVALID_CONSUMER_CONFIG',
  retryable: false,
})<{ readonly problems: readonly string[] }>((e) => `invalid consumer configuration: ${e.problems.join('; ')}`) {}
