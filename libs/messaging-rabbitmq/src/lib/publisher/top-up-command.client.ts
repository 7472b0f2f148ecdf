// Publishes top-up commands (schema v1) for producers: each command is
// checked as the consumer will read it, sent persistent to the commands
// exchange with a message id of its own (the consumer's inbox key), and
// counted as published only once the broker has confirmed it. A publish that
// fails retryably is tried again with the same message id, so a command
// confirmed late is still processed once.
import { randomUUID } from 'node:crypto';
import { encodeTopUpCommand, TOP_UP_COMMAND_VERSION } from '@airtime/application';
import { Effect, Either } from 'effect';
import type { PublishFailed } from '../shared/messaging.errors';
import type { Topology } from '../topology/topology.table';
import type { ConfirmPublisher, EncodedMessage } from './confirm-publisher.client';

/** A command to publish: the request input's JSON fields (without `version`) and, optionally, its message id. */
export interface TopUpCommandToPublish {
  readonly command: unknown;
  /** The idempotency key of the message; default: a fresh UUID (a repeat of the same command then needs its external id to dedupe). */
  readonly messageId?: string | undefined;
}

export interface PublishProgress {
  readonly total: number;
  /** Commands finished so far (published, invalid or failed). */
  readonly done: number;
  readonly published: number;
  readonly invalid: number;
  readonly failed: number;
}

export interface PublishTopUpCommandsOptions {
  /** Called after each command is finished. */
  readonly onProgress?: ((progress: PublishProgress) => void) | undefined;
  /** Publishes waiting for their confirm at once (default 200). */
  readonly concurrency?: number | undefined;
  /** Further tries of a publish that failed retryably, same message id (default 2). */
  readonly retries?: number | undefined;
  /** Message ids of commands that carry none (default `randomUUID`). */
  readonly newMessageId?: (() => string) | undefined;
  /** The AMQP timestamp of the messages (default: now). */
  readonly now?: (() => Date) | undefined;
}

/** A command that was not published, by its position in the input. */
export interface UnpublishedCommand {
  readonly index: number;
  /** Set when the command got as far as a publish. */
  readonly messageId?: string | undefined;
  readonly reason: string;
}

export interface PublishTopUpCommandsReport {
  readonly total: number;
  readonly published: number;
  /** Commands refused before publishing (a consumer would dead-letter them); reasons name fields, never values. */
  readonly invalid: readonly UnpublishedCommand[];
  /** Commands the broker did not confirm after the retries. */
  readonly failed: readonly UnpublishedCommand[];
  /** The message id of each published command, by index. */
  readonly messageIds: ReadonlyMap<number, string>;
}

/** The header carrying the command schema's version. */
export const COMMAND_VERSION_HEADER = 'x-schema-version';

/** The AMQP type of a top-up command. */
export const TOP_UP_COMMAND_TYPE = 'topup.request';

/** What a top-up command message carries besides its exchange's name and routing key. */
export interface TopUpCommandMessageParts {
  /** The command's JSON text (schema v1). */
  readonly text: string;
  /** The message id (the consumer's inbox key). */
  readonly messageId: string;
  /** The command's external id, sent as the correlation id. */
  readonly externalId: string;
  /** When it is sent; the AMQP timestamp is its whole seconds. */
  readonly sentAt: Date;
}

/**
 * The message of a top-up command on the commands exchange of `topology`:
 * routing key `topup.request`, mandatory (a missing binding is a failure),
 * type `topup.request`, JSON in UTF-8, the `x-schema-version` header, the
 * external id as correlation id and the send time in whole seconds.
 */
export const topUpCommandMessage = (topology: Topology, parts: TopUpCommandMessageParts): EncodedMessage => ({
  exchange: topology.exchanges.commands.name,
  routingKey: topology.routingKeys.topUpRequest,
  messageId: parts.messageId,
  content: Buffer.from(parts.text, 'utf8'),
  properties: {
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    type: TOP_UP_COMMAND_TYPE,
    correlationId: parts.externalId,
    timestamp: Math.floor(parts.sentAt.getTime() / 1000),
    headers: { [COMMAND_VERSION_HEADER]: TOP_UP_COMMAND_VERSION },
  },
  mandatory: true,
});

type Outcome =
  | { readonly kind: 'published'; readonly messageId: string }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'failed'; readonly messageId: string; readonly reason: string };

/**
 * Publishes `commands` to the commands exchange of `topology` (routing key
 * `topup.request`, mandatory: a missing binding is a failure, not a silent
 * drop) and answers the counts. Never fails: invalid and unconfirmed commands
 * are listed in the report.
 */
export const publishTopUpCommands = (
  publisher: ConfirmPublisher,
  topology: Topology,
  commands: readonly TopUpCommandToPublish[],
  options: PublishTopUpCommandsOptions = {},
): Effect.Effect<PublishTopUpCommandsReport> =>
  Effect.gen(function* () {
    const retries = Math.max(0, options.retries ?? 2);
    const newMessageId = options.newMessageId ?? randomUUID;
    const now = options.now ?? (() => new Date());
    const progress = { total: commands.length, done: 0, published: 0, invalid: 0, failed: 0 };

    const publishOne = (text: string, messageId: string, externalId: string): Effect.Effect<void, PublishFailed> =>
      publisher.publishEncoded(topUpCommandMessage(topology, { text, messageId, externalId, sentAt: now() }));

    const withRetries = (
      text: string,
      messageId: string,
      externalId: string,
      triesLeft: number,
    ): Effect.Effect<void, PublishFailed> =>
      Effect.catchAll(publishOne(text, messageId, externalId), (failure) =>
        failure.retryable && triesLeft > 0
          ? withRetries(text, messageId, externalId, triesLeft - 1)
          : Effect.fail(failure),
      );

    const outcomeOf = (item: TopUpCommandToPublish): Effect.Effect<Outcome> => {
      const encoded = encodeTopUpCommand(item.command);
      if (Either.isLeft(encoded)) return Effect.succeed({ kind: 'invalid', reason: encoded.left.reason });
      const messageId = item.messageId ?? newMessageId();
      const externalId = String((item.command as { readonly external_id: unknown }).external_id);
      return withRetries(encoded.right, messageId, externalId, retries).pipe(
        Effect.as<Outcome>({ kind: 'published', messageId }),
        Effect.catchAll((failure) =>
          Effect.succeed<Outcome>({ kind: 'failed', messageId, reason: `${failure.kind}: ${failure.reason}` }),
        ),
      );
    };

    const outcomes = yield* Effect.forEach(
      commands,
      (item) =>
        Effect.tap(outcomeOf(item), (outcome) =>
          Effect.sync(() => {
            progress.done += 1;
            progress[outcome.kind] += 1;
            options.onProgress?.({ ...progress });
          }),
        ),
      { concurrency: Math.max(1, options.concurrency ?? 200) },
    );

    const invalid: UnpublishedCommand[] = [];
    const failed: UnpublishedCommand[] = [];
    const messageIds = new Map<number, string>();
    outcomes.forEach((outcome, index) => {
      if (outcome.kind === 'published') messageIds.set(index, outcome.messageId);
      else if (outcome.kind === 'invalid') invalid.push({ index, reason: outcome.reason });
      else failed.push({ index, messageId: outcome.messageId, reason: outcome.reason });
    });
    return { total: commands.length, published: messageIds.size, invalid, failed, messageIds };
  });
