// Where a provider posts its status changes for one top-up: a URL carrying
// the top-up's unguessable callback token (served by the HTTP API). Optional:
// without it, sends carry no callback URL and top-ups are settled by the
// send's answer, status queries and the provider's account-wide callbacks.
import { Context } from 'effect';

export interface ProviderCallbackUrlsService {
  /** The callback URL of a top-up, from its request's callback token. */
  readonly urlFor: (callbackToken: string) => string;
}

export class ProviderCallbackUrls extends Context.Tag('@airtime/application/ProviderCallbackUrls')<
  ProviderCallbackUrls,
  ProviderCallbackUrlsService
>() {}
