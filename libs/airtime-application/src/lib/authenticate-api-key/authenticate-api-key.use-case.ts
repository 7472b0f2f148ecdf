// Authenticate an API key: find it by its prefix, compare the SHA-256 of the
// presented secret with the stored one in constant time, refuse a revoked
// key. Every refusal is the same ApiKeyRefused.
import type { PersistenceFailure } from '@airtime/domain';
import { Effect, Option } from 'effect';
import type { ApiPrincipal } from '../api-access/api-principal';
import { parseApiKey, secretMatches } from '../api-access/api-key';
import { ApiKeyStore } from '../ports/api-keys.port';
import { ApiKeyRefused } from './authenticate-api-key.errors';

// compared against when no key has the prefix, so that an unknown prefix costs a hash comparison too
const NO_HASH = '0'.repeat(64);

/**
 * The principal of an API key text `atk_<prefix>_<secret>` (its id and
 * accounts). `ApiKeyRefused` for anything but an issued, unrevoked key: a
 * text that is not a key (or longer than `MAX_API_KEY_LENGTH`), an unknown
 * prefix, another secret, a revoked key. The text is never logged or kept.
 */
export const authenticateApiKey = (
  text: unknown,
): Effect.Effect<ApiPrincipal, ApiKeyRefused | PersistenceFailure, ApiKeyStore> =>
  Effect.gen(function* () {
    const parts = parseApiKey(text);
    if (parts === undefined) return yield* new ApiKeyRefused();
    const found = yield* Effect.flatMap(ApiKeyStore, (store) => store.findByPrefix(parts.prefix));
    const matches = secretMatches(parts.secret, Option.isSome(found) ? found.value.secretHash : NO_HASH);
    if (!matches || Option.isNone(found) || found.value.revokedAt !== undefined) return yield* new ApiKeyRefused();
    return { keyId: found.value.id, accountIds: found.value.accountIds };
  });
