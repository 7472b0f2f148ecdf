// The ProviderCallbackUrls port over the API's public base URL
// (PROVIDER_CALLBACK_BASE_URL): a top-up's callback URL is
// `<base>/callbacks/dtone/<its callback token>`, where the API's provider
// callback route takes the DVS transaction object DT One posts (DVS API,
// "Callbacks": the transaction, POSTed to the `callback_url` of the
// transaction's creation). The token is the top-up's unguessable secret
// (256 bits, base64url): the URL is the callback's authentication.
import { ProviderCallbackUrls, type ProviderCallbackUrlsService } from '@airtime/application';
import { Layer } from 'effect';

/** The path under the API's base where DT One's callbacks arrive: `<prefix>/<callback token>`. */
export const DTONE_CALLBACK_PATH = '/callbacks/dtone';

/**
 * The callback URLs under `baseUrl` (an http(s) URL, as `runtimeSettingsFrom`
 * checks it; trailing slashes are dropped): urlFor(token) =
 * `<base>/callbacks/dtone/<token>`, the token percent-encoded (a base64url
 * token is unchanged).
 */
export const makeProviderCallbackUrls = (baseUrl: string): ProviderCallbackUrlsService => {
  const base = baseUrl.replace(/\/+$/, '');
  return { urlFor: (callbackToken) => `${base}${DTONE_CALLBACK_PATH}/${encodeURIComponent(callbackToken)}` };
};

/** The ProviderCallbackUrls layer of `baseUrl` (see `makeProviderCallbackUrls`). */
export const providerCallbackUrlsLayer = (baseUrl: string): Layer.Layer<ProviderCallbackUrls> =>
  Layer.succeed(ProviderCallbackUrls, makeProviderCallbackUrls(baseUrl));
