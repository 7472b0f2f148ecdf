// The intake of top-up requests: the requests a process handles at the same
// time (a consumer's prefetched deliveries, the API's concurrent POSTs)
// gathered into batches, each written by `requestTopUps` in ONE unit of work with
// set-based statements. Each request is quoted by its caller before it
// joins a batch (a provider lookup for a new number delays that request
// alone), and checked there once. One batch is written at a time; the requests that arrive meanwhile
// form the next one, so a request arriving at an idle intake goes at once,
// as a batch of one.
import {
  readyTopUpItem,
  requestTopUp,
  type RequestTopUpError,
  type RequestTopUpResult,
  type RequestTopUpServices,
  requestTopUps,
  type TopUpRequestItem,
  type TopUpRequestRules,
} from '@airtime/application';
import { Effect } from 'effect';
import { makeCallerBatchQueue } from './caller-batch-queue.runner';

/**
 * Requests one top-up, with the inbox claim of the message that carried it
 * (a command; none for an API request): answered as `requestTopUp` answers.
 */
export type TopUpIntake = (
  input: unknown,
  inbox?: TopUpRequestItem['inbox'],
) => Effect.Effect<RequestTopUpResult, RequestTopUpError, RequestTopUpServices>;

/** The most requests one batch takes by default. */
export const DEFAULT_COMMAND_BATCH_MAX = 100;

/**
 * The intake with batches of up to `maxBatch` requests (1: no batching,
 * each request is `requestTopUp`'s own unit of work). The batches run with
 * the services and fiber refs (logger, log level) of the first caller, every
 * caller of a worker sharing one runtime, without its log annotations (a
 * batch is no one message's).
 */
export const makeTopUpIntake = (
  rules: TopUpRequestRules,
  maxBatch: number = DEFAULT_COMMAND_BATCH_MAX,
): TopUpIntake => {
  if (maxBatch <= 1) return (input, inbox) => requestTopUp(input, { ...rules, inbox });
  const submit = makeCallerBatchQueue((items: readonly TopUpRequestItem[]) => requestTopUps(items, rules), maxBatch);
  return (input, inbox) =>
    Effect.gen(function* () {
      // checked and quoted here, in the caller's own fiber: a slow provider lookup holds up this request, not the
      // batches, and the batch does not decode the input again
      return yield* yield* submit(yield* readyTopUpItem(input, inbox, rules));
    });
};
