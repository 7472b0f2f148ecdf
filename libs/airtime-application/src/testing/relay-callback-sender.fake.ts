// A caller's endpoint for the callback specs: records each POST (URL, body,
// headers) and answers as scripted per URL (a status, or no answer).
import { Effect, Layer } from 'effect';
import { CallbackSender, type CallbackSenderService } from '../lib/ports/callback-deliveries.port';

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
}

export const makeRelayCallbackSender = (): RelayCallbackSender => {
  const posts: RelayCallbackPost[] = [];
  const scripts = new Map<string, RelayCallbackAnswer[]>();
  const service: CallbackSenderService = {
    post: (url, body, headers) =>
      Effect.sync(() => {
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
  };
};
