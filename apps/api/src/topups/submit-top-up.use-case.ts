// The API's way in for a top-up (POST /v1/topups, and GET
// /airtime/invoke-send-airtime): the idempotency key from the
// Idempotency-Key header or the body's external_id (both given and
// different: 400), the account from the body or the key's only account
// (a malformed id: 400 naming account_id; not one of the key's accounts:
// 404), then requestTopUp in this process, through the top-up intake when
// given (the requests of concurrent POSTs are
// written in batches, one unit of work each, as the consumer's commands are)
// (exact idempotency answers: the same key and body give the same top-up,
// another body a 409 naming the field). After the commit the same command
// (v1) is enqueued on the TopUpCommandQueue with message id `api:<topUpId>`
// for the consumer to send; an enqueue that fails is logged and the answer
// stands (the consumer's stalled recovery sends a top-up whose command was
// lost).
import {
  type ApiPrincipal,
  checkAccountScope,
  checkRequestAccountId,
  type CustomerAccountNotFound,
  type InvalidTopUpRequest,
  type RequestTopUpError,
  type RequestTopUpServices,
  requestTopUp,
  type RequestTopUpResult,
  TOP_UP_COMMAND_VERSION,
  TopUpCommandQueue,
  TopUpCommandV1,
  type TopUpRequestRules,
} from '@airtime/application';
import type { TopUp } from '@airtime/domain';
import { Effect, Either, Schema } from 'effect';
import { withErrorFields } from '../http/error-fields.mapper';
import { InvalidRequest } from '../http/http.errors';

/** What POST /v1/topups was sent: the decoded body (external_id and account_id optional) and the header's key. */
export interface TopUpSubmission {
  readonly principal: ApiPrincipal;
  /** The request input's JSON fields (snake_case); `external_id` and `account_id` may be left out. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The Idempotency-Key header, when sent. */
  readonly idempotencyKey?: string | undefined;
}

export interface SubmittedTopUp {
  /** `created`: a new top-up; `repeated`: the one an earlier request with the same key and body created. */
  readonly outcome: 'created' | 'repeated';
  readonly topUp: TopUp;
  /** The request input as requested (with the resolved external_id and account_id). */
  readonly input: Readonly<Record<string, unknown>>;
  /** Whether its command was enqueued now (false: not needed, or the enqueue failed and was logged). */
  readonly enqueued: boolean;
}

export type SubmitTopUpError = InvalidRequest | CustomerAccountNotFound | RequestTopUpError;

const textField = (body: Readonly<Record<string, unknown>>, field: string): unknown => body[field];

/** How an error names the key when it came from the header (not from the body's external_id). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/**
 * An error about `external_id` when the body did not give it (the key came
 * from the Idempotency-Key header): it names the header, which is what the
 * caller sent. Other errors are unchanged.
 */
const namingTheHeader = <E>(error: E): E => {
  if (typeof error !== 'object' || error === null || !('field' in error) || error.field !== 'external_id') return error;
  const reason = 'reason' in error && typeof error.reason === 'string' ? error.reason : undefined;
  return withErrorFields(error, {
    field: IDEMPOTENCY_KEY_HEADER,
    ...('part' in error ? { part: 'headers' } : {}),
    ...(reason === undefined ? {} : { reason: reason.replace(/\bexternal_id\b/g, IDEMPOTENCY_KEY_HEADER) }),
  });
};

/** The idempotency key: the header, the body's external_id, or both when equal. */
const externalIdOf = (submission: TopUpSubmission): Effect.Effect<unknown, InvalidRequest> => {
  const fromBody = textField(submission.body, 'external_id');
  const fromHeader = submission.idempotencyKey;
  if (fromHeader !== undefined && fromBody !== undefined && fromBody !== fromHeader) {
    return Effect.fail(
      new InvalidRequest({ part: 'body', field: 'external_id', reason: 'differs from the Idempotency-Key header' }),
    );
  }
  const externalId = fromHeader ?? fromBody;
  return externalId === undefined
    ? Effect.fail(
        new InvalidRequest({
          part: 'headers',
          field: IDEMPOTENCY_KEY_HEADER,
          reason: 'an Idempotency-Key header or an external_id in the body is required',
        }),
      )
    : Effect.succeed(externalId);
};

/**
 * The account: the body's (a well-formed id, as requestTopUp reads it, else
 * 400 naming account_id; then one of the key's accounts, else 404), else the
 * key's only one.
 */
const accountIdOf = (
  submission: TopUpSubmission,
): Effect.Effect<unknown, InvalidRequest | InvalidTopUpRequest | CustomerAccountNotFound> => {
  const fromBody = textField(submission.body, 'account_id');
  if (typeof fromBody === 'string') {
    return Effect.flatMap(checkRequestAccountId(fromBody), (accountId) =>
      checkAccountScope(submission.principal, accountId),
    );
  }
  if (fromBody !== undefined) return Effect.succeed(fromBody); // not text: requestTopUp names the field
  const [only, ...others] = submission.principal.accountIds;
  if (only !== undefined && others.length === 0) return Effect.succeed(only);
  return Effect.fail(
    new InvalidRequest({
      part: 'body',
      field: 'account_id',
      reason: 'required: the API key is not scoped to exactly one account',
    }),
  );
};

const decodeCommand = Schema.decodeUnknownEither(TopUpCommandV1);

/** The message id of a top-up's command: the consumer's inbox takes a command once per id. */
export const commandMessageIdOf = (topUpId: string): string => `api:${topUpId}`;

/**
 * Enqueues the command of a committed top-up that was never attempted (a new
 * one, or a repeat the consumer has not sent yet); a failure is logged and
 * the top-up stays committed (the consumer's stalled recovery sends it).
 */
const enqueueCommand = (
  topUp: TopUp,
  input: Readonly<Record<string, unknown>>,
): Effect.Effect<boolean, never, TopUpCommandQueue> =>
  Effect.gen(function* () {
    if (topUp.status.class !== 'CREATED' || topUp.attempts.length > 0) return false;
    const command = decodeCommand({ version: TOP_UP_COMMAND_VERSION, ...input });
    if (Either.isLeft(command)) {
      yield* Effect.logWarning('top-up command not enqueued: the request does not make a v1 command');
      return false;
    }
    const queue = yield* TopUpCommandQueue;
    return yield* queue.enqueue(command.right, commandMessageIdOf(topUp.id)).pipe(
      Effect.as(true),
      Effect.catchAll((failure) =>
        Effect.as(Effect.logWarning('top-up command not enqueued; the consumer recovers it', failure.message), false),
      ),
    );
  }).pipe(Effect.annotateLogs({ topUpId: topUp.id }));

/**
 * How a submission's top-up is requested: `requestTopUp` with the same rules,
 * or in a batch with its neighbours (the platform's `makeTopUpIntake`, which
 * answers each as `requestTopUp` would). Never given an inbox claim here.
 */
export type RequestSubmittedTopUp = (
  input: unknown,
) => Effect.Effect<RequestTopUpResult, RequestTopUpError, RequestTopUpServices>;

/**
 * Requests the top-up of a submission and enqueues its command (see the
 * file's header). The answer says whether it is new or a repeat; `input` is
 * what was requested. `request` is how (by default `requestTopUp` with
 * `rules` in a unit of work of its own).
 */
export const submitTopUp = (
  submission: TopUpSubmission,
  rules: TopUpRequestRules,
  request: RequestSubmittedTopUp = (input) => requestTopUp(input, rules),
): Effect.Effect<SubmittedTopUp, SubmitTopUpError, RequestTopUpServices | TopUpCommandQueue> =>
  Effect.gen(function* () {
    const externalId = yield* externalIdOf(submission);
    const accountId = yield* accountIdOf(submission);
    const input = { ...submission.body, external_id: externalId, account_id: accountId };
    const keyFromHeader =
      submission.idempotencyKey !== undefined && textField(submission.body, 'external_id') === undefined;
    const result = yield* request(input).pipe(
      Effect.mapError((error) => (keyFromHeader ? namingTheHeader(error) : error)),
    );
    if (result._tag === 'AlreadyProcessed') {
      // only a request carrying an inbox claim can answer this; the API's never does
      return yield* Effect.dieMessage('requestTopUp answered AlreadyProcessed without an inbox claim');
    }
    const enqueued = yield* enqueueCommand(result.topUp, input);
    const outcome = result._tag === 'Created' ? 'created' : 'repeated';
    return { outcome, topUp: result.topUp, input, enqueued } as const;
  });
