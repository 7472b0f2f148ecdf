import { type OutboxEvent, type OutboxService } from '@airtime/domain';
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeOutbox } from './outbox.adapter';

const t0 = new Date(Date.UTC(2025, 6, 1, 9));
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};
const event = (id: string, payload: OutboxEvent['payload'] = { topUpId: id }, occurredAtMs = 0): OutboxEvent => ({
  id,
  type: 'topup.created',
  aggregateId: `agg-${id}`,
  payload,
  occurredAt: new Date(t0.getTime() + occurredAtMs),
});

/** Text jsonb keeps: any code point but NUL, surrogate pairs, quotes, backslashes, line breaks. */
const TEXT = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', 'é', '字', '😀', '"', '\\', '\n', '\t', '\u2028', '\u202e', '{', '}', '\u0001', '\uffff'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((character) => character !== '\u0000'),
  ),
  maxLength: 12,
});
/** `value` without the text jsonb cannot keep (NUL, unpaired surrogates), in strings and keys. */
const keepable = (value: unknown): unknown => {
  const text = (raw: string) =>
    Array.from(raw)
      .filter((character) => character !== '\u0000' && !/^[\uD800-\uDFFF]$/.test(character))
      .join('');
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map(keepable);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [text(key), keepable(item)]));
  return value;
};
const arbitraryPayload: fc.Arbitrary<Record<string, unknown>> = fc
  .dictionary(TEXT, fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), { maxKeys: 5 })
  .map((payload) => keepable(payload) as Record<string, unknown>);

interface Row {
  readonly id: string;
  readonly type: string;
  readonly aggregate_id: string;
  readonly payload: unknown;
  readonly occurred_at: Date;
  readonly sequence: string;
}

describe('outbox appendAll on PostgreSQL', () => {
  let db: TestDatabase;
  let outbox: OutboxService;
  const unitOfWork = () => makeUnitOfWork(db.dataSource);
  const inUnit = <A, E>(effect: Effect.Effect<A, E>) => unitOfWork().transactionally(effect);
  /** The stored events whose id starts with `prefix`, in publishing (sequence) order. */
  const rows = async (prefix: string) =>
    (await db.dataSource.query(
      `SELECT id, type, aggregate_id, payload, occurred_at, sequence FROM outbox
        WHERE starts_with(id, $1) ORDER BY sequence`,
      [prefix],
    )) as Row[];
  const ids = async (prefix: string) => (await rows(prefix)).map(({ id }) => id);
  const asStored = (stored: OutboxEvent, id = stored.id) => ({
    id,
    type: stored.type,
    aggregate_id: stored.aggregateId,
    payload: JSON.parse(JSON.stringify(stored.payload)) as unknown,
    occurred_at: stored.occurredAt,
  });
  const withoutSequence = (read: readonly Row[]) => read.map(({ sequence: _, ...row }) => row);

  beforeAll(async () => {
    db = await createTestDatabase();
    outbox = makeOutbox(db.dataSource);
  });
  afterAll(async () => db.drop());

  it('stores the events in the order of the list, once per id (the first standing), as append does one by one', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'é"\\', '😀 x'),
            type: TEXT,
            aggregateId: TEXT,
            payload: arbitraryPayload,
            occurredAtMs: fc.integer({ min: -86_400_000, max: 86_400_000 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (specs) => {
          run += 1;
          const eventsIn = (prefix: string): OutboxEvent[] =>
            specs.map(({ name, type, aggregateId, payload, occurredAtMs }) => ({
              ...event(`${prefix}${name}`, payload, occurredAtMs),
              type,
              aggregateId,
            }));
          const batch = eventsIn(`batch-${run}-`);
          const alone = eventsIn(`alone-${run}-`);
          await Effect.runPromise(inUnit(outbox.appendAll(batch)));
          await Effect.runPromise(inUnit(Effect.forEach(alone, outbox.append, { discard: true })));

          const firsts = batch.filter((one, index) => batch.findIndex(({ id }) => id === one.id) === index);
          const stored = await rows(`batch-${run}-`);
          expect(withoutSequence(stored)).toStrictEqual(firsts.map((first) => asStored(first)));
          const sequences = stored.map(({ sequence }) => BigInt(sequence));
          expect(sequences.every((sequence, index) => index === 0 || sequence > (sequences[index - 1] ?? 0n))).toBe(
            true,
          );
          // the same rows as append's, but for the ids
          expect(withoutSequence(stored)).toStrictEqual(
            withoutSequence(await rows(`alone-${run}-`)).map((row) => ({
              ...row,
              id: row.id.replace(`alone-${run}-`, `batch-${run}-`),
            })),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('numbers many events of one call in the order of the list, whatever their ids and times', async () => {
    const many = Array.from({ length: 500 }, (_, index) =>
      event(`order-${String(499 - index).padStart(3, '0')}`, { index }, -index),
    );
    await Effect.runPromise(inUnit(outbox.appendAll(many)));
    expect(await ids('order-')).toStrictEqual(many.map(({ id }) => id));
  });

  it('keeps the event already stored for an id, in its place, and appends the rest after it', async () => {
    await Effect.runPromise(outbox.append(event('kept-2', { first: true })));
    await Effect.runPromise(
      inUnit(
        Effect.zipRight(
          outbox.append(event('kept-3', { first: true })),
          outbox.appendAll([
            event('kept-1'),
            event('kept-2', { first: false }),
            event('kept-3', { first: false }),
            event('kept-4'),
          ]),
        ),
      ),
    );
    expect((await rows('kept-')).map(({ id, payload }) => [id, payload])).toStrictEqual([
      ['kept-2', { first: true }],
      ['kept-3', { first: true }],
      ['kept-1', { topUpId: 'kept-1' }],
      ['kept-4', { topUpId: 'kept-4' }],
    ]);
  });

  it('reads back nested, unicode and large payloads exactly', async () => {
    const big = '字😀é'.repeat(100_000);
    const nested = Array.from({ length: 60 }).reduce<Record<string, unknown>>(
      (inner, _, depth) => ({ [`level-${depth}`]: inner, depth }),
      { leaf: 'ok' },
    );
    const payloads: Record<string, unknown>[] = [
      { big },
      nested,
      { text: 'é"\\\n\t\u2028\u202e\u0001\uffff', keys: { é: 1, '😀': [true, null, 'x'], '': {} } },
      { numbers: [0, -1, 1.5, 1e300, -2.5e-300, Number.MAX_SAFE_INTEGER, 0.1, 123456789.123456] },
      { amountMinor: '90071992547409931', list: [], object: {} },
      {},
    ];
    const events = payloads.map((payload, index) => event(`exact-${index}`, payload));
    await Effect.runPromise(inUnit(outbox.appendAll(events)));
    expect(withoutSequence(await rows('exact-'))).toStrictEqual(events.map((one) => asStored(one)));
    expect(((await rows('exact-0'))[0]?.payload as { big: string }).big).toBe(big);
  });

  it('does nothing for an empty list, inside a unit of work or not', async () => {
    const [before] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as { n: number }[];
    await Effect.runPromise(outbox.appendAll([]));
    await Effect.runPromise(inUnit(outbox.appendAll([])));
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox`)).toStrictEqual([before]);
  });

  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle['self'] = cycle;
  it.each<[string, OutboxEvent, RegExp]>([
    ['an array', event('bad-array', [1, 2] as unknown as OutboxEvent['payload']), /the payload is not a JSON object/],
    ['null', event('bad-null', null as unknown as OutboxEvent['payload']), /the payload is not a JSON object/],
    ['a string', event('bad-string', 'text' as unknown as OutboxEvent['payload']), /the payload is not a JSON object/],
    ['a bigint inside', event('bad-bigint', { amount: { minor: 200n } }), /payload\.amount\.minor is a bigint/],
    ['NaN', event('bad-nan', { rate: Number.NaN }), /payload\.rate is NaN/],
    ['a Date', event('bad-date', { at: new Date(0) }), /payload\.at is a Date/],
    ['undefined', event('bad-undefined', { optional: undefined }), /payload\.optional is undefined/],
    ['a cycle', event('bad-cycle', cycle), /refers back to itself/],
    ['a NUL in a string', event('bad-text-nul', { text: 'a\u0000b' }), /payload\.text contains a NUL/],
    ['a NUL in a key', event('bad-key-nul', { ['a\u0000']: 1 }), /a key of payload contains a NUL/],
    [
      'an unpaired surrogate',
      event('bad-surrogate', { list: ['ok', 'x\ud800'] }),
      /payload\.list\[1\] contains an unpaired surrogate/,
    ],
    [
      'an invalid time',
      { ...event('bad-time'), occurredAt: new Date(Number.NaN) },
      /occurrence time is not a valid date/,
    ],
  ])('refuses an event with %s before writing any of the list, naming it', async (_, bad, reason) => {
    const before = event(`${bad.id}-before`);
    const after = event(`${bad.id}-after`);
    const refused = await Effect.runPromise(
      inUnit(
        Effect.gen(function* () {
          const failure = yield* Effect.flip(outbox.appendAll([before, bad, event(`${bad.id}-next`)]));
          // nothing was sent: the unit of work is not aborted, and commits what follows
          yield* outbox.append(after);
          return failure;
        }),
      ),
    );
    expect(refused).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
      reason: expect.stringMatching(new RegExp(`^outbox event ${bad.id}\\b`)),
    });
    expect(refused.reason).toMatch(reason);
    expect(await ids(`${bad.id}-`)).toStrictEqual([after.id]);
    expect(await failureOf(outbox.appendAll([bad]))).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
    expect(await ids(`${bad.id}-`)).toStrictEqual([after.id]);
  });

  it.each<[string, Partial<OutboxEvent>]>([
    ['id', { id: 'nul-text-id\u0000' }],
    ['type', { type: 'topup.\u0000' }],
    ['aggregate id', { aggregateId: 'agg\u0000' }],
  ])('fails, storing none of the list, on an event whose %s holds a NUL (no text column can)', async (_, spoil) => {
    const list = [event('nul-text-1'), { ...event('nul-text-2'), ...spoil }, event('nul-text-3')];
    expect(await failureOf(inUnit(outbox.appendAll(list)))).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
    });
    expect(await failureOf(outbox.appendAll(list))).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
    expect(await ids('nul-text-')).toStrictEqual([]);
  });

  it('stores nothing of a list whose unit of work rolls back', async () => {
    const failure = await failureOf(
      inUnit(Effect.zipRight(outbox.appendAll([event('rolled-1'), event('rolled-2')]), Effect.fail('later' as const))),
    );
    expect(failure).toBe('later');
    expect(await ids('rolled-')).toStrictEqual([]);
  });
});
