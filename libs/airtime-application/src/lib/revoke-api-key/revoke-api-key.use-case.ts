// Revoke an API key: from then on it is refused like an unknown key.
import { Clock, type PersistenceFailure } from '@airtime/domain';
import { Effect, Option } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { ApiKeyStore, type StoredApiKey } from '../ports/api-keys.port';
import { ApiKeyNotFound } from './revoke-api-key.errors';
import { RevokeApiKeyInput } from './revoke-api-key.input';

export type RevokeApiKeyError = InvalidInput | ApiKeyNotFound | PersistenceFailure;

/**
 * Revokes the key with id `keyId` now (`ApiKeyNotFound` when there is none)
 * and answers it as stored. Revoking twice keeps the first time.
 */
export const revokeApiKey = (keyId: string): Effect.Effect<StoredApiKey, RevokeApiKeyError, ApiKeyStore | Clock> =>
  Effect.gen(function* () {
    const input = yield* decodeInput(RevokeApiKeyInput)({ keyId });
    const now = yield* Effect.flatMap(Clock, (clock) => clock.now());
    const revoked = yield* Effect.flatMap(ApiKeyStore, (store) => store.revoke(input.keyId, now));
    return Option.isSome(revoked) ? revoked.value : yield* new ApiKeyNotFound({ keyId: input.keyId });
  });
