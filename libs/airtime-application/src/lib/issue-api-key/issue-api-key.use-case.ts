// Issue an API key for accounts of the directory: the key text is answered
// once and never stored; the store keeps its prefix and the SHA-256 of its
// secret.
import { Clock, IdGenerator, type PersistenceFailure } from '@airtime/domain';
import { Effect, Option } from 'effect';
import { CustomerAccountNotFound, type InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { formatApiKey, hashSecret, prefixOf } from '../api-access/api-key';
import { AccountDirectory } from '../ports/accounts.port';
import { ApiKeyStore, type StoredApiKey } from '../ports/api-keys.port';
import { IssueApiKeyInput } from './issue-api-key.input';

export interface IssuedApiKey {
  /** The key text `atk_<prefix>_<secret>`: shown once, never stored, never logged. */
  readonly key: string;
  readonly apiKey: StoredApiKey;
}

export type IssueApiKeyError = InvalidInput | CustomerAccountNotFound | PersistenceFailure;

/**
 * Decodes `IssueApiKeyInput` (`InvalidInput` naming the field), checks that
 * every account is in the directory (`CustomerAccountNotFound` for the first
 * that is not), and stores a new key: id from `IdGenerator.next`, secret
 * from `IdGenerator.secretToken` (32 random bytes, base64url, in
 * production), prefix from the SHA-256 of a second token. Answers the key
 * text (shown once) and the key as stored.
 */
export const issueApiKey = (
  input: unknown,
): Effect.Effect<IssuedApiKey, IssueApiKeyError, AccountDirectory | ApiKeyStore | IdGenerator | Clock> =>
  Effect.gen(function* () {
    const { label, accountIds } = yield* decodeInput(IssueApiKeyInput)(input);
    const directory = yield* AccountDirectory;
    const scope = [...new Set(accountIds)];
    for (const accountId of scope) {
      if (Option.isNone(yield* directory.find(accountId))) return yield* new CustomerAccountNotFound({ accountId });
    }
    const ids = yield* IdGenerator;
    const id = yield* ids.next();
    const secret = yield* ids.secretToken();
    const prefix = prefixOf(yield* ids.secretToken());
    const createdAt = yield* Effect.flatMap(Clock, (clock) => clock.now());
    const apiKey: StoredApiKey = { id, prefix, secretHash: hashSecret(secret), label, accountIds: scope, createdAt };
    yield* Effect.flatMap(ApiKeyStore, (store) => store.insert(apiKey));
    return { key: formatApiKey({ prefix, secret }), apiKey };
  });
