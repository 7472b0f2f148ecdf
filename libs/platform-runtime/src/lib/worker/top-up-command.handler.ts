// Handles one top-up command off the commands queue (RabbitMQ's, or the
// in-process bus's): decode it (schema v1), request the top-up with the
// message's inbox claim in the same unit of work, then send its first
// attempt. Whatever fails is answered by the one table of the worker
// (consume-errors.table.ts): ack, retry or dead-letter with a reason.
//
// A repeat (the same request under another message id) is acknowledged with
// no second send, with one exception: a repeat of a top-up never attempted
// (status class CREATED, no attempt) gets its first attempt sent here, as a
// new top-up would. That is how a command the API enqueues after running
// requestTopUp itself (message id `api:<topUpId>`) gets its top-up sent.
// Workers racing on such a top-up (the API's command redelivered, the
// creating worker, stalled recovery) never send an attempt twice: the
// attempt is committed before the send under the top-up's optimistic
// version, and a worker that loses that commit never sends it. A new
// top-up's first attempt is started from the copy its request committed
// (no read); a worker that loses that start decides again on a fresh read,
// which usually finds the attempt taken (`NotStarted`, a duplicate), and
// sends only what the domain then allows (a retry already due).
// The same message again (same id, same bytes) is `AlreadyProcessed` by the
// inbox and acknowledged. The inbox key binds the message id to the SHA-256
// of the body: producers choose message ids, so only the same bytes under
// the same id are the same message; a different command under a reused id
// is processed (the (account, external id) claim still makes a repeat of a
// request a duplicate).
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  decodeTopUpCommand,
  type MalformedCommand,
  requestTopUp,
  type TopUpChangeCommitter,
  type RequestTopUpError,
  type RequestTopUpInput,
  type RequestTopUpServices,
  sendAttemptReporting,
  type SendAttemptServices,
  type TopUpRequestRules,
} from '@airtime/application';
import type { TopUp } from '@airtime/domain';
import { ConsumeDecision } from '@airtime/messaging-rabbitmq';
import { areStorableKeys } from '@airtime/persistence-postgres';
import { Cause, Effect, Exit, Option } from 'effect';
import type { PlatformMetrics } from '../observability/platform-metrics';
import type { PlatformLogger } from '../observability/logger';
import { describeDefect } from '../observability/defect.format';
import { checkCommandProperties, checkCommandVersionHeader } from './command-envelope.check';
import { CONSUME_ERRORS, decisionOf, messageOf } from './consume-errors.table';
import type { CommandDelivery, CommandHandler } from './command-runner.types';
import { FirstSendDeferred } from './top-up-command.errors';
import type { TopUpIntake } from './top-up-intake.runner';
import { withTopUpChangeWriter } from './top-up-change-writer.runner';

export type TopUpCommandServices = RequestTopUpServices | SendAttemptServices;

/** Every error the handler's program can fail with (the table's keys). */
export type TopUpCommandError = MalformedCommand | RequestTopUpError | FirstSendDeferred;

/** What a handled command came to. */
export type HandledCommand =
  | { readonly outcome: 'duplicate'; readonly topUp?: TopUp | undefined }
  | { readonly outcome: 'accepted' | 'rejected'; readonly topUp: TopUp; readonly sent: boolean };

/** The ids a log line of the command carries, as they become known (never the phone number). */
export interface CommandLogFields {
  messageId?: string;
  externalId?: string;
  accountId?: string;
  topUpId?: string;
}

const sha256Hex = (body: Uint8Array): string => createHash('sha256').update(body).digest('hex');

/**
 * The inbox key of a delivery: `<messageId>:<sha256 hex of the body>`, or
 * `sha256:<hex>` when it has no message id (an empty id counts as none). The
 * same bytes under the same id (a redelivery, a producer's republish) are
 * one message; another body under a reused id is another message. A message
 * id PostgreSQL's text cannot hold (a NUL, or UTF-16 that is not well
 * formed) is keyed by its own digest instead: `id-sha256:<hex of the id's
 * UTF-8>:<hex of the body>`, so such a command is processed like any other
 * instead of failing its inbox claim as a storage error.
 */
export const inboxKeyOf = (delivery: Pick<CommandDelivery, 'body' | 'messageId'>): string => {
  const digest = sha256Hex(delivery.body);
  const messageId = delivery.messageId;
  if (messageId === undefined || messageId === '') return `sha256:${digest}`;
  if (!areStorableKeys(messageId)) return `id-sha256:${sha256Hex(Buffer.from(messageId, 'utf8'))}:${digest}`;
  return `${messageId}:${digest}`;
};

/** The ids known before decoding, as log annotations (none when the message has no id). */
const messageAnnotations = (delivery: CommandDelivery): Record<string, string> =>
  delivery.messageId === undefined || delivery.messageId === '' ? {} : { messageId: delivery.messageId };

/** What the handler's program needs to know of the consumer beyond the delivery. */
export interface TopUpCommandSettings extends TopUpRequestRules {
  /** The inbox's consumer name. */
  readonly consumerName: string;
  /** How a command's top-up is requested (batched with its neighbours, with the same rules); `requestTopUp` alone when not given. */
  readonly intake?: TopUpIntake | undefined;
}

/** A top-up no attempt was ever started for: its first send is still to come. */
export const neverAttempted = (topUp: TopUp): boolean =>
  topUp.status.class === 'CREATED' && topUp.attempts.length === 0;

/**
 * Requests the top-up of a decoded command and sends its first attempt: a
 * new top-up's, or a repeated one's never attempted (another worker winning
 * that attempt makes this one a duplicate).
 */
const processCommand = (
  input: RequestTopUpInput,
  inboxKey: string,
  settings: TopUpCommandSettings,
  fields: CommandLogFields,
): Effect.Effect<HandledCommand, RequestTopUpError | FirstSendDeferred, TopUpCommandServices> =>
  Effect.gen(function* () {
    const inbox = { consumer: settings.consumerName, messageId: inboxKey };
    const requested = yield* settings.intake === undefined
      ? requestTopUp(input, { inbox, allowPrivateCallbackHosts: settings.allowPrivateCallbackHosts })
      : settings.intake(input, inbox);
    if (requested._tag === 'AlreadyProcessed') return { outcome: 'duplicate' } as const;
    fields.topUpId = requested.topUp.id;
    if (requested._tag === 'Repeated' && !neverAttempted(requested.topUp)) {
      return { outcome: 'duplicate', topUp: requested.topUp } as const;
    }
    const topUpId = requested.topUp.id;
    // a new top-up is sent from the copy just committed (no read); a repeat's is read again
    const known = requested._tag === 'Created' ? { topUp: requested.topUp, version: requested.version } : undefined;
    const sent = yield* sendAttemptReporting(topUpId, known).pipe(
      Effect.annotateLogs({ topUpId }),
      Effect.mapError((error) => new FirstSendDeferred({ topUpId, failure: `${error.code}: ${error.message}` })),
    );
    // the request or its first attempt was taken already: a repeat whose send another worker started (or the
    // domain refused), or a new top-up whose first attempt a twin (the same request under another message id,
    // answered as a repeat) started before this send could: that twin is the one that sent it
    if (sent._tag === 'NotStarted' && (requested._tag === 'Repeated' || sent.topUp.attempts.length > 0)) {
      return { outcome: 'duplicate', topUp: sent.topUp } as const;
    }
    return {
      outcome: sent.topUp.status.class === 'REJECTED' ? 'rejected' : 'accepted',
      topUp: sent.topUp,
      sent: sent._tag === 'Sent',
    } as const;
  });

/**
 * The program of one delivery (the handler runs it through the consumer's
 * runtime). Its logs carry the message id, and from decoding on the external
 * and account ids (and the top-up id around the send).
 */
export const handleTopUpCommand = (
  delivery: CommandDelivery,
  settings: TopUpCommandSettings,
  fields: CommandLogFields = {},
): Effect.Effect<HandledCommand, TopUpCommandError, TopUpCommandServices> =>
  Effect.gen(function* () {
    if (delivery.messageId !== undefined && delivery.messageId !== '') fields.messageId = delivery.messageId;
    yield* checkCommandProperties(delivery);
    const input = yield* decodeTopUpCommand(delivery.body);
    yield* checkCommandVersionHeader(delivery.headers);
    fields.externalId = input.external_id;
    fields.accountId = input.account_id;
    return yield* processCommand(input, inboxKeyOf(delivery), settings, fields).pipe(
      Effect.annotateLogs({ externalId: input.external_id, accountId: input.account_id }),
    );
  }).pipe(Effect.annotateLogs(messageAnnotations(delivery)));

/** Runs effect programs that need the handler's services (the app's ManagedRuntime). */
export interface CommandRuntime {
  /** `signal`: aborting it interrupts the program (the promise then answers its interrupted exit). */
  readonly runPromiseExit: <A, E>(
    effect: Effect.Effect<A, E, TopUpCommandServices>,
    options?: { readonly signal?: AbortSignal },
  ) => Promise<Exit.Exit<A, E | never>>;
}

export interface TopUpCommandHandlerOptions {
  readonly runtime: CommandRuntime;
  /** The inbox's consumer name. */
  readonly consumerName: string;
  /** Accept callback URLs to hosts that are not public (`CALLBACK_ALLOW_PRIVATE_HOSTS`; default false). */
  readonly allowPrivateCallbackHosts?: boolean | undefined;
  readonly logger: PlatformLogger;
  readonly metrics: Pick<PlatformMetrics, 'commands' | 'deadLetters'>;
  /** The requests of commands handled at the same time, written in batches (see makeTopUpIntake); one by one when not given. */
  readonly intake?: TopUpIntake | undefined;
  /**
   * The writer the sends commit their top-up changes through (attempt
   * starts and answers of commands handled at the same time written in
   * batches; see makeTopUpChangeWriter); each in a unit of work of its own
   * when not given.
   */
  readonly changeWriter?: TopUpChangeCommitter | undefined;
}

/**
 * What a command runner calls for each delivery (see CommandRunner), and
 * `interruptInFlight`: interrupts the commands still being handled and
 * resolves, with how many there were, once each has ended (for the
 * graceful stop, after its timeout: a command interrupted is not
 * acknowledged, so RabbitMQ delivers it again, and what it left half done is
 * the stalled-top-up loop's).
 */
export type TopUpCommandHandler = CommandHandler & { readonly interruptInFlight: () => Promise<number> };

/**
 * The handler a command runner calls for each delivery: never rejects; a
 * defect of the program is a `Retry` (its class, never its message).
 */
export const makeTopUpCommandHandler = (options: TopUpCommandHandlerOptions): TopUpCommandHandler => {
  const { runtime, consumerName, logger, metrics } = options;
  const settings: TopUpCommandSettings = {
    consumerName,
    allowPrivateCallbackHosts: options.allowPrivateCallbackHosts === true,
    intake: options.intake,
  };
  const batched = withTopUpChangeWriter(options.changeWriter);
  const stopping = new AbortController();
  // every command in flight listens to this one signal (effect removes its listener when the command
  // ends): more than node's default of 10 at once is the prefetch working, not a leak to warn about
  setMaxListeners(0, stopping.signal);
  const inFlight = new Set<Promise<unknown>>();
  const handle: CommandHandler = async (delivery) => {
    const fields: CommandLogFields = {};
    const running = runtime.runPromiseExit(batched(handleTopUpCommand(delivery, settings, fields)), {
      signal: stopping.signal,
    });
    inFlight.add(running);
    const exit = await running.finally(() => inFlight.delete(running));
    const log = logger.child({ ...fields, deliveryCount: delivery.deliveryCount });
    if (Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause)) {
      log.warn('top-up command interrupted by the stop; not acknowledged');
      return ConsumeDecision.Retry({ reason: 'interrupted by the consumer stopping' });
    }
    if (Exit.isSuccess(exit)) {
      const handled = exit.value;
      metrics.commands.inc({ outcome: handled.outcome });
      log.info(
        {
          outcome: handled.outcome,
          status: handled.topUp?.status.status,
          ...('sent' in handled ? { sent: handled.sent } : {}),
        },
        'top-up command handled',
      );
      return ConsumeDecision.Ack();
    }
    const failure = Cause.failureOption(exit.cause);
    if (Option.isNone(failure)) {
      // its class and where it was thrown, never its message (it may quote outside text)
      const { name: reason, at } = describeDefect(Cause.squash(exit.cause));
      metrics.commands.inc({ outcome: 'retried' });
      log.error({ reason, at }, 'top-up command handler died; the message will be retried');
      return ConsumeDecision.Retry({ reason: `handler defect: ${reason}` });
    }
    const error = failure.value;
    const decision = decisionOf(error);
    const rule = CONSUME_ERRORS[error._tag];
    ConsumeDecision.$match(decision, {
      Ack: () => {
        metrics.commands.inc({ outcome: 'accepted' });
        log.warn({ code: error.code, reason: messageOf(error), rule }, 'top-up command acknowledged');
      },
      Retry: () => {
        metrics.commands.inc({ outcome: 'retried' });
        log.warn({ code: error.code, reason: messageOf(error), rule }, 'top-up command will be retried');
      },
      DeadLetter: () => {
        metrics.commands.inc({ outcome: 'dead_lettered' });
        metrics.deadLetters.inc({ code: error.code });
        log.warn({ code: error.code, reason: messageOf(error), rule }, 'top-up command dead-lettered');
      },
    });
    return decision;
  };
  return Object.assign(handle, {
    interruptInFlight: async () => {
      const running = [...inFlight];
      stopping.abort();
      await Promise.all(running);
      return running.length;
    },
  });
};
