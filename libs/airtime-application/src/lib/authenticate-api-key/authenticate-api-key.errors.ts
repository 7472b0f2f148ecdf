// The errors authenticateApiKey adds.
import { taggedError } from '@airtime/domain';

/**
 * The presented text is not an issued, unrevoked API key: malformed,
 * unknown, wrong secret or revoked are one answer (the API's 401), so a
 * caller learns nothing of which.
 */
export class ApiKeyRefused extends taggedError('ApiKeyRefused', { code: 'UNAUTHENTICATED', retryable: false })(
  () => 'the API key is missing or not valid',
) {}
