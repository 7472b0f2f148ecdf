// The input of "revoke an API key" (admin CLI): the key's id (never its text).
import { Schema } from 'effect';

export const RevokeApiKeyInput = Schema.Struct({
  keyId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
}).annotations({ identifier: 'RevokeApiKeyInput' });

export type RevokeApiKeyInput = typeof RevokeApiKeyInput.Type;
