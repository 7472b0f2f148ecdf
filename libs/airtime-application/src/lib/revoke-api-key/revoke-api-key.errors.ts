// The errors revokeApiKey adds.
import { taggedError } from '@airtime/domain';

/** No API key with this id. */
export class ApiKeyNotFound extends taggedError('ApiKeyNotFound', { code: 'API_KEY_NOT_FOUND', retryable: false })<{
  readonly keyId: string;
}>(() => 'no API key with this id') {}
