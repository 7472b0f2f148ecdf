// A DT One DVS callback to a top-up's own URL (POST /callbacks/dtone/{token};
// reference: dtone-dvs-api-reference.txt, "Callbacks"): the body read with
// the DVS adapter's schema and mapper, then the application's
// applyProviderCallback, which finds the top-up by the URL's token and
// applies the update only when it names one of that top-up's attempts.
import {
  applyProviderCallback,
  type ApplyProviderUpdateError,
  type ApplyProviderUpdateResult,
} from '@airtime/application';
import { DTONE_PROVIDER_ID } from '@airtime/provider-dtone';
import { Effect } from 'effect';
import type { InvalidRequest } from '../../http/http.errors';
import { invalidCallbackBody } from './callback-body.check';
import { CallbackConflict, UnknownCallback } from './callbacks.errors';
import { logUnknownCallback } from './unknown-callback.format';
import { dvsCallbackOf } from './dvs-callback.mapper';

/** Errors of applyProviderUpdate a callback answers as itself (the others become the callback's own). */
type PassedThrough = Exclude<
  ApplyProviderUpdateError,
  {
    readonly _tag:
      | 'UnknownProviderTransaction'
      | 'TopUpNotFound'
      | 'AttemptNotFound'
      | 'ProviderAnswerMismatch'
      | 'IllegalTransition';
  }
>;

export type DvsCallbackError = InvalidRequest | UnknownCallback | CallbackConflict | PassedThrough;

const unknown = () => Effect.fail(new UnknownCallback({ provider: DTONE_PROVIDER_ID }));

/**
 * Applies a DVS callback: `Applied`, or `Unchanged` for a repeat or a stale
 * status (no second effect). A body that is not a readable DVS transaction,
 * or whose delivered amount does not hold to the top-up's, is InvalidRequest
 * (400); a token of no top-up, or a transaction that is not one of its
 * attempts, is UnknownCallback (404, logged without the token, nothing
 * applied); a status that cannot follow the top-up's is CallbackConflict (409).
 */
export const applyDvsCallback = (
  callbackToken: string,
  body: unknown,
): Effect.Effect<
  ApplyProviderUpdateResult,
  DvsCallbackError,
  Effect.Effect.Context<ReturnType<typeof applyProviderCallback>>
> =>
  Effect.gen(function* () {
    const update = yield* dvsCallbackOf(body);
    return yield* applyProviderCallback({ callbackToken, update }).pipe(
      Effect.catchTags({
        TopUpNotFound: unknown,
        UnknownProviderTransaction: unknown,
        AttemptNotFound: unknown,
        ProviderAnswerMismatch: (error) => Effect.fail(invalidCallbackBody(error.reason, error.field)),
        IllegalTransition: () => Effect.fail(new CallbackConflict({ provider: DTONE_PROVIDER_ID })),
      }),
      Effect.tapErrorTag('UnknownCallback', logUnknownCallback),
    );
  });
