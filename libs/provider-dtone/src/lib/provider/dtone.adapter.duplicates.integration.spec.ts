// The DT One adapter over HTTP (a fake DVS) when DVS holds several
// transactions under one external id: the status query answers one
// deterministically (COMPLETED first, then one still pending, then the
// latest) and logs a warning with their count and DVS ids, never a phone
// number; the listing lists them all.
import { type ProviderTransaction } from '@airtime/domain';
import { Effect, HashMap, Logger, Option } from 'effect';
import { pagedReply, startFakeDvsServer, type FakeDvsServer } from '../../testing/dvs-server.fake';
import { sampleDvsTransaction } from '../../testing/dvs.fixture';
import { DUPLICATE_AT_PROVIDER_WARNING, makeDtOneProvider } from './dtone.adapter';

let fake: FakeDvsServer;

beforeAll(async () => {
  fake = await startFakeDvsServer();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const provider = () =>
  makeDtOneProvider({
    apiKey: 'k',
    apiSecret: 's',
    baseUrl: fake.baseUrl,
    // a timeout a loaded CI machine's local answers stay well within
    timeoutMs: 5_000,
    productCacheTtlMs: 60_000,
    maxRetriesOn429: 1,
  });

interface Logged {
  readonly level: string;
  readonly message: string;
  readonly annotations: Record<string, unknown>;
}

/** Runs `effect` with a logger that keeps every line. */
const runLogged = async <A, E>(effect: Effect.Effect<A, E>): Promise<{ value: A; logs: Logged[] }> => {
  const logs: Logged[] = [];
  const logger = Logger.make(({ logLevel, message, annotations }) => {
    logs.push({
      level: logLevel.label,
      message: (Array.isArray(message) ? message : [message]).map(String).join(' '),
      annotations: Object.fromEntries(HashMap.toEntries(annotations)),
    });
  });
  const value = await Effect.runPromise(effect.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger))));
  return { value, logs };
};

const PHONE = '+639171234100';
const dvs = (id: number, status: string, statusClass: string, externalId = 'dup-1') =>
  sampleDvsTransaction({
    id,
    external_id: externalId,
    status: { id: 1, message: status, class: { id: 1, message: statusClass } },
    credit_party_identifier: { mobile_number: PHONE },
  });

/** DVS answers `items` to `GET /transactions?external_id=` (newest first, as DVS lists them). */
const dvsHolds = (items: readonly Record<string, unknown>[]) =>
  fake.on('GET', '/transactions', (request) => pagedReply(items, request));

const statusOf = async (externalId = 'dup-1') => {
  const { value, logs } = await runLogged(provider().statusByExternalId(externalId));
  return { answered: Option.getOrUndefined(value) as ProviderTransaction | undefined, logs };
};

describe('statusByExternalId with duplicates at DVS', () => {
  it.each([
    [
      'COMPLETED before a later DECLINED (answering DECLINED would refund a delivered top-up)',
      [dvs(9, 'DECLINED', 'DECLINED'), dvs(7, 'COMPLETED', 'COMPLETED')],
      '7',
    ],
    [
      'one still SUBMITTED before a later DECLINED (the top-up stays open)',
      [dvs(9, 'DECLINED', 'DECLINED'), dvs(7, 'SUBMITTED', 'SUBMITTED')],
      '7',
    ],
    ['COMPLETED before one still pending', [dvs(9, 'CONFIRMED', 'CONFIRMED'), dvs(7, 'COMPLETED', 'COMPLETED')], '7'],
    ['REVERSED before DECLINED', [dvs(9, 'DECLINED', 'DECLINED'), dvs(7, 'REVERSED', 'REVERSED')], '7'],
    ['the latest of two COMPLETED', [dvs(7, 'COMPLETED', 'COMPLETED'), dvs(9, 'COMPLETED', 'COMPLETED')], '9'],
  ])('answers %s, and logs a warning naming the count and DVS ids', async (_case, items, expected) => {
    dvsHolds(items);
    const { answered, logs } = await statusOf();
    expect(answered?.providerTransactionId).toBe(expected);
    const warnings = logs.filter((line) => line.message === DUPLICATE_AT_PROVIDER_WARNING);
    expect(warnings).toEqual([
      {
        level: 'WARN',
        message: 'duplicate transactions at the provider for one external id',
        annotations: {
          provider: 'dtone',
          providerExternalId: 'dup-1',
          count: 2,
          dvsTransactionIds: '7,9',
          answeredDvsTransactionId: Number(expected),
        },
      },
    ]);
    expect(JSON.stringify(logs)).not.toContain(PHONE.slice(1));
  });

  it('answers the same whatever order DVS lists them in', async () => {
    const items = [dvs(5, 'DECLINED', 'DECLINED'), dvs(6, 'COMPLETED', 'COMPLETED'), dvs(8, 'SUBMITTED', 'SUBMITTED')];
    const answers = [];
    for (const order of [items, [...items].reverse(), [items[1], items[2], items[0]]]) {
      fake.reset();
      dvsHolds(order as Record<string, unknown>[]);
      const { answered, logs } = await statusOf();
      answers.push(answered?.providerTransactionId);
      expect(logs.find((line) => line.message === DUPLICATE_AT_PROVIDER_WARNING)?.annotations).toMatchObject({
        count: 3,
        dvsTransactionIds: '5,6,8',
      });
    }
    expect(answers).toEqual(['6', '6', '6']);
  });

  it('fails loudly (no settling on another) when one of the duplicates has a status it cannot read', async () => {
    dvsHolds([dvs(9, 'WEIRD', 'ODD'), dvs(7, 'COMPLETED', 'COMPLETED')]);
    const { value: result } = await runLogged(Effect.either(provider().statusByExternalId('dup-1')));
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'ProviderResponseInvalid' } });
  });

  it('logs nothing for one transaction, and the listing lists every duplicate', async () => {
    dvsHolds([dvs(7, 'COMPLETED', 'COMPLETED', 'single')]);
    const { answered, logs } = await statusOf('single');
    expect(answered?.providerTransactionId).toBe('7');
    expect(logs.filter((line) => line.message === DUPLICATE_AT_PROVIDER_WARNING)).toEqual([]);

    fake.reset();
    const day = (id: number, status: string) => ({
      ...dvs(id, status, status),
      creation_date: '2026-11-02T10:00:0' + id + 'Z',
    });
    dvsHolds([day(7, 'COMPLETED'), day(9, 'DECLINED')]);
    const listed = await Effect.runPromise(
      provider().listTransactions({ from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-03T00:00:00Z') }),
    );
    expect(listed.map((transaction) => [transaction.providerExternalId, transaction.providerTransactionId])).toEqual([
      ['dup-1', '7'],
      ['dup-1', '9'],
    ]);
  });
});
