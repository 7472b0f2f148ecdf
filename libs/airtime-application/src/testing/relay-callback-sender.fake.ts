// A caller's endpoint for the callback specs: records each POST (URL, body,
// headers) and answers as scripted per URL (a status, or no answer). Given
// the unit of work, it records a POST made inside a transaction (the
// dispatcher must hold no transaction, and so no lock, while it waits on a
// caller's server).
import { Effect, Layer } from 'effect';
import { CallbackSender, type CallbackSenderService } from '../lib/ports/callback-deliveries.port';
import type { RelayUnitOfWork } from './relay-unit-of-work.fake';

export interface RelayCallbackPost {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** An answer: an HTTP status, or none (timeout, connection refused) with its reason. */
export type RelayCallbackAnswer = number | { readonly error: string };

export interface RelayCallbackSender {
  readonly service: CallbackSenderService;
  readonly layer: Layer.Layer<CallbackSender>;
  readonly posts: () => readonly RelayCallbackPost[];
  /** Answers the next POSTs to `url` with these answers in turn, then with the last one (default 200). */
  readonly answer: (url: string, ...answers: RelayCallbackAnswer[]) => void;
  /** POSTs made inside a transaction of the unit of work given, described. */
  readonly violations: () => readonly string[];
}

export interface RelayCallbackSenderOptions {
  /** The unit of work whose transactions no POST may run in. */
  readonly unitOfWork?: RelayUnitOfWork | undefined;
}

export const makeRelayCallbackSender = (options: RelayCallbackSenderOptions = {}): RelayCallbackSender => {
  const posts: RelayCallbackPost[] = [];
  const scripts = new Map<string, RelayCallbackAnswer[]>();
  const violations: string[] = [];
  const transactionOf = options.unitOfWork?.currentTransaction ?? Effect.succeed(undefined);
  const service: CallbackSenderService = {
    post: (url, body, headers) =>
      Effect.map(transactionOf, (transaction) => {
        if (transaction !== undefined) violations.push(`POST to ${url} inside transaction ${transaction.id}`);
        posts.push({ url, body, headers: { ...headers } });
        const script = scripts.get(url) ?? [];
        const answer = (script.length > 1 ? script.shift() : script[0]) ?? 200;
        return typeof answer === 'number'
          ? { status: answer, durationMs: 12 }
          : { status: null, durationMs: 5_000, error: answer.error };
      }),
  };
  return {
    service,
    layer: Layer.succeed(CallbackSender, service),
    posts: () => [...posts],
    answer: (url, ...answers) => void scripts.set(url, answers),
    violations: () => [...violations],
  };
};
