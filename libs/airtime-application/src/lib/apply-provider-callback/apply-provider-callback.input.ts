// The input of "apply a provider callback" (POST /callbacks/dtone/{token}):
// the token of the callback URL; the update itself is the provider
// adapter's parse of the body (`AirtimeProvider.parseCallback`).
import { Schema } from 'effect';

/** `callbackToken`: the per-top-up secret of the callback URL (1..200 URL-safe characters). */
export const ApplyProviderCallbackInput = Schema.Struct({
  callbackToken: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{1,200}$/)),
}).annotations({ identifier: 'ApplyProviderCallbackInput' });

export type ApplyProviderCallbackInput = typeof ApplyProviderCallbackInput.Type;
