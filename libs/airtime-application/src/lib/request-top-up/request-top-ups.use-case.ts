// Request many top-ups at once (a consumer's prefetched batch of commands):
// each request is decoded, checked, quoted (all at once) and created on its
// own, as `requestTopUp` does, and then all of them are written in ONE unit
// of work with set-based statements: one inbox claim for every message, one
// `authorizeAll` for every hold (decided in order by the domain's ledger),
// one insert for every top-up, one for every outbox event, one for every
// request. A repeat or conflict of an earlier request runs through
// `requestTopUp` after the batch; every request of a batch whose unit of
// work failed as a whole too, one by one in order. A second request for a
// key or message of an earlier item (a twin) runs through `requestTopUp` in
// its place: the batch before it is written first, and a new batch starts
// after it. Each item gets its own typed answer, the one `requestTopUp` item
// by item in order would give.
import {
  type AuthorizeInput,
  type InvalidIdentifier,
  type InvalidTopUp,
  LedgerStore,
  type Quote,
  rejectForRefusedHold,
  type TopUp,
  type TopUpChange,
  UnitOfWork,
} from '@airtime/domain';
import { Array as Arr, Effect, Either, Exit, Option } from 'effect';
import { CallbackDeliveryStore } from '../ports/callback-deliveries.port';
import { Inbox } from '../ports/inbox.port';
import { TopUpRequestStore } from '../ports/top-up-requests.port';
import { type QuoteError, quoteFor } from '../quote-top-up/quote-top-up.use-case';
import { decodeRequest } from '../quote-top-up/top-up-request.check';
import { applyLedgerMovements, saveNewTopUps } from '../top-up-change/save-top-up-change.use-case';
import { type CheckedTopUpRequest, checkTopUpRequest, type TopUpRequestRules } from './request-top-up.check';
import { RequestTopUpInput } from './request-top-up.input';
import {
  type NewTopUp,
  newTopUpFor,
  requestTopUp,
  type RequestTopUpError,
  type RequestTopUpResult,
  type RequestTopUpServices,
} from './request-top-up.use-case';

/** One request of a batch: the untrusted input, and the message that carried it (claimed in the inbox). */
export interface TopUpRequestItem {
  readonly input: unknown;
  readonly inbox?: { readonly consumer: string; readonly messageId: string } | undefined;
  /**
   * The quote of the item's request, made by its caller before the item
   * entered its batch (`quoteTopUpItem`), so that a slow provider lookup
   * holds up that request alone, not its batch and the ones queued behind
   * it; quoted in the batch when not given. Used only if the request is new.
   */
  readonly quoted?: Either.Either<Quote, QuoteError> | undefined;
  /**
   * The item's input decoded and checked by its caller with the batch's own
   * rules (`readyTopUpItem`), so that the batch does not decode it again;
   * checked in the batch when not given.
   */
  readonly checked?: TopUpItemCheck | undefined;
}

/** An item's input decoded and checked (`checkTopUpRequest`), or why not, as an exit. */
export type TopUpItemCheck = Exit.Exit<CheckedTopUpRequest, Effect.Effect.Error<ReturnType<typeof checkItem>>>;

/** An item's answer: what `requestTopUp` would have answered it. */
export type TopUpRequestAnswer = Exit.Exit<RequestTopUpResult, RequestTopUpError>;

/** A checked request of the batch, at its index. */
interface Checked {
  readonly index: number;
  readonly request: CheckedTopUpRequest;
  readonly inbox: TopUpRequestItem['inbox'];
}

/** A request ready to write: its new top-up (with the hold it asks for), its stored request, and when. */
interface Prepared extends Checked, NewTopUp {}

const keyOf = (accountId: string, externalId: string) => JSON.stringify([accountId, externalId]);
const claimOf = (inbox: NonNullable<TopUpRequestItem['inbox']>) => JSON.stringify([inbox.consumer, inbox.messageId]);

/** Decodes and checks an item, as `requestTopUp` does first. */
const checkItem = (input: unknown, rules: TopUpRequestRules) =>
  Effect.flatMap(decodeRequest(RequestTopUpInput)(input), (decoded) => checkTopUpRequest(decoded, rules));

/**
 * An item made ready by its caller before it enters a batch run with the
 * same `rules`: its input decoded and checked once (`checked`) and, when the
 * checks pass, the quote its request would get (`quoted`; a number not in
 * the catalogue's cache is a provider lookup). A refusal by the checks is
 * kept in `checked` for the batch to answer. Never fails.
 */
export const readyTopUpItem = (
  input: unknown,
  inbox: TopUpRequestItem['inbox'],
  rules: TopUpRequestRules = {},
): Effect.Effect<TopUpRequestItem, never, RequestTopUpServices> =>
  Effect.gen(function* () {
    const checked = yield* Effect.exit(checkItem(input, rules));
    const quoted = Exit.isSuccess(checked) ? yield* Effect.either(quoteFor(checked.value.quote)) : undefined;
    return { input, inbox, checked, quoted };
  });

/**
 * The quote an item's request would get (`readyTopUpItem`'s `quoted`), for
 * its caller to make before the item enters a batch; none when the input is
 * refused by the checks (the batch answers that refusal).
 */
export const quoteTopUpItem = (
  input: unknown,
  rules: TopUpRequestRules = {},
): Effect.Effect<Either.Either<Quote, QuoteError> | undefined, never, RequestTopUpServices> =>
  Effect.map(readyTopUpItem(input, undefined, rules), (item) => item.quoted);

/** Quotes a checked request and creates its top-up in memory (nothing written yet), as `requestTopUp` does. */
const prepare = (
  checked: Checked,
  quoted: Either.Either<Quote, QuoteError> | undefined,
): Effect.Effect<Prepared, QuoteError | InvalidTopUp | InvalidIdentifier, RequestTopUpServices> =>
  Effect.map(newTopUpFor(checked.request, quoted), (created) => ({ ...checked, ...created }));

/** The messages of `prepared` claimed now, as `claimOf` keys: one `claimAll` per consumer. */
const claimMessages = (prepared: readonly Prepared[]) =>
  Effect.gen(function* () {
    const inbox = yield* Inbox;
    const byConsumer = new Map<string, string[]>();
    for (const { inbox: message } of prepared) {
      if (message === undefined) continue;
      byConsumer.set(message.consumer, [...(byConsumer.get(message.consumer) ?? []), message.messageId]);
    }
    const claimed = new Set<string>();
    for (const [consumer, messageIds] of byConsumer) {
      for (const messageId of yield* inbox.claimAll(consumer, messageIds))
        claimed.add(claimOf({ consumer, messageId }));
    }
    return claimed;
  });

/**
 * The batch's one unit of work: claim every message, hold each new
 * top-up's cost (a refusal for funds makes it REJECTED, as in
 * `requestTopUp`), then write every top-up, event and request set-based.
 * Answers each prepared request in order; fails as a whole otherwise.
 */
/** The hold a new top-up asks for: its quote's cost, under its id. */
const holdOf = (topUp: TopUp): AuthorizeInput => ({
  accountId: topUp.accountId,
  currency: topUp.quote.cost.currency,
  transactionId: topUp.id,
  amountMinor: topUp.quote.cost.amountMinor,
});

/**
 * Every new top-up's hold in one `authorizeAll` (decided in item order), as
 * `requestTopUp` would hold each: held, the top-up stays CREATED; refused
 * for funds, it is REJECTED (the refusal is kept). Any other ledger answer
 * fails the batch (its items then run one by one, each with its answer). A
 * top-up asking for anything but one hold is moved by its own calls.
 */
const holdAll = (fresh: readonly Prepared[]) =>
  Effect.gen(function* () {
    const holding = fresh.filter(
      (one) => one.created.movements.length === 1 && one.created.movements[0] === 'AUTHORIZE',
    );
    const answers = yield* (yield* LedgerStore).authorizeAll(holding.map((one) => holdOf(one.created.topUp)));
    const held = new Map(holding.map((one, index) => [one, answers[index]]));
    return yield* Effect.forEach(fresh, (one) => {
      const answer = held.get(one);
      const stays: TopUpChange = { topUp: one.created.topUp, movements: [] };
      if (answer === undefined)
        return applyLedgerMovements(one.created.topUp, one.created.movements).pipe(
          Effect.as(stays),
          Effect.catchTag('InsufficientFunds', () => rejectForRefusedHold(one.created.topUp, one.now)),
        );
      if (Either.isRight(answer)) return Effect.succeed(stays);
      return answer.left._tag === 'InsufficientFunds'
        ? rejectForRefusedHold(one.created.topUp, one.now)
        : Effect.fail(answer.left);
    });
  });

const writeBatch = (prepared: readonly Prepared[]) =>
  Effect.gen(function* () {
    const claimed = yield* claimMessages(prepared);
    const fresh = prepared.filter((one) => one.inbox === undefined || claimed.has(claimOf(one.inbox)));
    const changes = yield* holdAll(fresh);
    const saved = yield* saveNewTopUps(Arr.zipWith(fresh, changes, (one, change) => ({ change, request: one.stored })));
    yield* (yield* TopUpRequestStore).recordAll(fresh.map((one) => one.stored));
    const byIndex = new Map(Arr.zipWith(fresh, saved, (one, created) => [one.index, created] as const));
    return prepared.map((one): RequestTopUpResult => {
      const created = byIndex.get(one.index);
      return created === undefined
        ? { _tag: 'AlreadyProcessed' }
        : { _tag: 'Created', topUp: created.topUp as TopUp, version: created.version };
    });
  });

/**
 * The accounts, among those of `requests` that name a callback URL, with no
 * callback signing secret: each account read once (a failed read counts it
 * as without one: its requests then run alone, where the read is made again).
 */
const accountsWithoutSecret = (requests: readonly Checked[]) =>
  Effect.gen(function* () {
    const store = yield* CallbackDeliveryStore;
    const accounts = [
      ...new Set(requests.flatMap(({ request }) => (request.callbackUrl === undefined ? [] : [request.accountId]))),
    ];
    const signed = yield* Effect.forEach(
      accounts,
      (accountId) =>
        Effect.match(store.signingSecretOf(accountId), { onFailure: () => false, onSuccess: Option.isSome }),
      { concurrency: 4 },
    );
    return new Set(accounts.filter((_, index) => !signed[index]));
  });

/**
 * Requests many top-ups at once, each answered as `requestTopUp(item.input,
 * { ...rules, inbox: item.inbox })` item by item in order would answer it
 * (see there): an input refused by the checks, the quote or the domain is
 * answered alone and never enters the batch. The new ones are written in
 * ONE unit of work (one inbox claim, one top-up insert, one outbox insert
 * and one request insert for all of them; each hold its own ledger call, in
 * item order). A repeat or conflict of an earlier request, and every request
 * of a batch whose unit of work failed as a whole (a concurrent twin, a
 * ledger or database error), then run one by one through `requestTopUp`.
 * A twin (a second request for the key or the message of an earlier item)
 * runs through `requestTopUp` once every item before it is written: the
 * batch so far is written first, and the items after it form a new one. So
 * a twin of a request just written is its repeat, and a request is refused
 * for funds only when it would be in order. Never fails as a whole: each
 * item's answer is its own exit, so a defect met by one item (even inside a
 * batch, which then runs one by one) is that item's answer alone.
 */
export const requestTopUps = (
  items: readonly TopUpRequestItem[],
  rules: TopUpRequestRules = {},
): Effect.Effect<readonly TopUpRequestAnswer[], never, RequestTopUpServices> =>
  Effect.gen(function* () {
    const answers = new Map<number, TopUpRequestAnswer>();
    const checked: Checked[] = [];
    for (const [index, item] of items.entries()) {
      const request = item.checked ?? (yield* Effect.exit(checkItem(item.input, rules)));
      if (Exit.isFailure(request)) answers.set(index, Exit.failCause(request.cause));
      else checked.push({ index, request: request.value, inbox: item.inbox });
    }
    // one read for every key: a key with an earlier request is a repeat or a conflict, decided one by one
    const earlier = yield* Effect.either(
      (yield* TopUpRequestStore).findAll(
        checked.map(({ request }) => ({ accountId: request.accountId, externalId: request.externalId })),
      ),
    );
    const taken = new Set(
      Either.isRight(earlier) ? earlier.right.map((stored) => keyOf(stored.accountId, stored.externalId)) : [],
    );
    const alone = (index: number) => {
      const item = items[index];
      if (item === undefined) return Effect.dieMessage(`no item ${index}`);
      return Effect.map(Effect.exit(requestTopUp(item.input, { ...rules, inbox: item.inbox })), (answer) => {
        answers.set(index, answer);
      });
    };
    // the new requests' quotes (those their callers made, else all at once here: a number not in the catalogue's
    // cache is a provider lookup each): as concurrent as one by one, and an answer each, before the batch is
    // decided in order
    const quotes = new Map(
      yield* Effect.forEach(
        checked.filter((one) => !taken.has(keyOf(one.request.accountId, one.request.externalId))),
        (one) => {
          const made = items[one.index]?.quoted;
          return made === undefined
            ? Effect.map(Effect.exit(quoteFor(one.request.quote)), (quote) => [one.index, quote] as const)
            : Effect.succeed([one.index, Either.match(made, { onLeft: Exit.fail, onRight: Exit.succeed })] as const);
        },
        { concurrency: 'unbounded' },
      ),
    );
    // the accounts of the new requests naming a callback URL that have no signing secret: one read per account;
    // such a request runs through `requestTopUp` alone (which refuses it, after its hold shows the account exists)
    const unsigned = yield* accountsWithoutSecret(
      checked.filter((one) => !taken.has(keyOf(one.request.accountId, one.request.externalId))),
    );
    // the pending batch: new requests and repeats (or conflicts) of earlier ones, no two sharing a key or message
    const prepared: Prepared[] = [];
    const repeats: number[] = [];
    const flush = () =>
      Effect.gen(function* () {
        const batch = prepared.splice(0);
        const after = repeats.splice(0);
        if (batch.length > 0) {
          // failed as a whole (even by a defect): each runs again on its own, so a defect is its item's alone
          const written = yield* Effect.exit((yield* UnitOfWork).transactionally(writeBatch(batch)));
          if (Exit.isSuccess(written))
            Arr.zip(batch, written.value).forEach(([one, answer]) => answers.set(one.index, Exit.succeed(answer)));
          else after.push(...batch.map((one) => one.index));
        }
        // one by one, in order: a refused hold is the one `requestTopUp` in order would refuse
        yield* Effect.forEach(
          after.sort((a, b) => a - b),
          alone,
          { discard: true },
        );
      });
    // the keys and messages earlier items may have written (a key stored before never is: its items are repeats)
    const keys = new Set<string>();
    const claims = new Set<string>();
    for (const one of checked) {
      const key = keyOf(one.request.accountId, one.request.externalId);
      const claim = one.inbox === undefined ? undefined : claimOf(one.inbox);
      const refused = one.request.callbackUrl !== undefined && unsigned.has(one.request.accountId);
      if (Either.isLeft(earlier) || keys.has(key) || (claim !== undefined && claims.has(claim)) || refused) {
        // a twin (or a request its account's missing secret refuses): answered once every item before it is
        // written, as `requestTopUp` in order would find them
        yield* flush();
        yield* alone(one.index);
      } else if (taken.has(key)) repeats.push(one.index);
      else {
        // its quote's failure is its answer (from prepare); a defect met while quoting, too
        const quoted = quotes.get(one.index);
        const ready = yield* Effect.exit(
          Effect.flatMap(quoted === undefined ? Effect.succeed(undefined) : Effect.either(quoted), (quote) =>
            prepare(one, quote),
          ),
        );
        if (Exit.isFailure(ready)) {
          answers.set(one.index, Exit.failCause(ready.cause));
          continue;
        }
        prepared.push(ready.value);
      }
      if (!taken.has(key)) keys.add(key);
      if (claim !== undefined) claims.add(claim);
    }
    yield* flush();
    return yield* Effect.forEach(items, (_, index) => {
      const answer = answers.get(index);
      return answer === undefined ? Effect.dieMessage(`item ${index} was not answered`) : Effect.succeed(answer);
    });
  });
