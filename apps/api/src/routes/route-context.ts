// What every route plugin of the API is given: the runtime its use cases run
// through, the API-key hook (for a route that requires a key outside /v1),
// the POST /v1/topups flow (for another way in to request a top-up) and the
// rules its requests are held to, and the writer that batches the top-up
// changes of concurrent provider callbacks.
import type { TopUpChangeCommitter, TopUpRequestRules } from '@airtime/application';
import type { Authenticate } from '../http/api-key-auth.plugin';
import type { ApiRuntime } from '../composition/runtime';
import type { SubmitTopUp } from '../topups/top-up-submission';

export interface ApiRouteOptions {
  readonly runtime: ApiRuntime;
  /** An onRequest hook: sets `request.principal` from the API key, else 401 UNAUTHENTICATED. */
  readonly authenticate: Authenticate;
  /** Requests a top-up for a principal and enqueues its command (see top-up-submission.ts). */
  readonly submitTopUp: SubmitTopUp;
  /** The rules top-up requests are held to (CALLBACK_ALLOW_PRIVATE_HOSTS): POST /v1/quotes checks a body by them too. */
  readonly requestRules: TopUpRequestRules;
  /**
   * Writes the top-up changes of concurrent provider callbacks in shared
   * units of work (CHANGE_BATCH_MAX; see makeTopUpChangeWriter); none: each
   * change in a unit of work of its own.
   */
  readonly changeWriter?: TopUpChangeCommitter | undefined;
}
