// The provider callbacks over real HTTP, on the API with PostgreSQL,
// RabbitMQ and the DVS simulator's HTTP server: a DVS transaction object
// POSTed to a pending top-up's callback URL moves it to its final status
// (once: a repeat answers "unchanged" and writes nothing); a token of no
// top-up, and a transaction of another top-up under a real token, are 404
// UNKNOWN_CALLBACK, logged without the token; bad bodies are 400, never 500.
import { makeRecordingLogger, type RecordingLogger } from '@airtime/platform-runtime/testing';
import { type ApiHarness, startApiHarness } from '../../testing/api-harness.fixture';
import {
  dvsTransaction as dvsTransactionOf,
  pendingTopUp as pendingTopUpOf,
} from '../../testing/pending-top-up.fixture';

type Json = Record<string, unknown>;

const errorOf = (answer: { readonly body: unknown }) => (answer.body as { error: Json }).error;

describe('provider callbacks: DT One DVS (POST /callbacks/dtone/{token})', () => {
  let api: ApiHarness;
  let key: string;
  let recording: RecordingLogger;
  let orders = 0;

  beforeAll(async () => {
    recording = makeRecordingLogger('debug', 'api');
    api = await startApiHarness({ label: 'api-callbacks', logger: recording.logger });
    await api.openAccount('team-callbacks');
    key = await api.issueKey('team-callbacks');
  });

  afterAll(async () => {
    await api?.close();
  });

  /** A top-up sent once to the simulator (its attempt pending there), with its callback token. */
  const pendingTopUp = (phone: string) => {
    orders += 1;
    return pendingTopUpOf(api, key, `callback-order-${orders}`, phone);
  };

  /** The transaction object as DVS has it now (what it POSTs to a callback URL). */
  const dvsTransaction = (transactionId: string) => dvsTransactionOf(api, transactionId);

  const topUpStatus = async (topUpId: string) => {
    const found = await api.request('GET', `/v1/topups/${topUpId}`, { key });
    return (found.body as { status: { id: string; class: string } }).status;
  };

  const journalRows = () => api.count('ledger_journal');

  it('moves a pending top-up to its final status once; a repeat answers unchanged and writes nothing', async () => {
    // 300: the simulator completes it after 5 simulated minutes (300 ms here)
    const pending = await pendingTopUp('+639171234300');
    await api.simulator.untilTransaction(pending.providerExternalId, 'COMPLETED');
    const transaction = await dvsTransaction(pending.transactionId);

    const applied = await api.request('POST', `/callbacks/dtone/${pending.token}`, { body: transaction });
    expect({ status: applied.status, body: applied.body }).toEqual({ status: 200, body: { result: 'applied' } });
    expect(await topUpStatus(pending.topUpId)).toMatchObject({ id: 'COMPLETED', class: 'COMPLETED' });

    const journal = await journalRows();
    const outbox = await api.count('outbox');
    const repeat = await api.request('POST', `/callbacks/dtone/${pending.token}`, { body: transaction });
    expect({ status: repeat.status, body: repeat.body }).toEqual({ status: 200, body: { result: 'unchanged' } });
    expect(await journalRows()).toBe(journal);
    expect(await api.count('outbox')).toBe(outbox);
  });

  it('applies a callback whose rates are written with more digits than a double holds (a provider decimal), not refused as INEXACT_NUMBER', async () => {
    const pending = await pendingTopUp('+639171234301');
    await api.simulator.untilTransaction(pending.providerExternalId, 'COMPLETED');
    const text = JSON.stringify(await dvsTransaction(pending.transactionId));
    // "base":0.0206 as a decimal type with 30 places would write it
    const long = text.replace(
      /("base":)(\d+(?:\.\d+)?)/,
      (_match, name: string, number: string) =>
        `${name}${number}${number.includes('.') ? '' : '.'}000000000000000000000001`,
    );
    expect(long).not.toBe(text);
    const applied = await api.request('POST', `/callbacks/dtone/${pending.token}`, {
      rawBody: long,
      headers: { 'content-type': 'application/json' },
    });
    expect({ status: applied.status, body: applied.body }).toEqual({ status: 200, body: { result: 'applied' } });
    expect(await topUpStatus(pending.topUpId)).toMatchObject({ id: 'COMPLETED', class: 'COMPLETED' });
  });

  it('applies a decline: the top-up ends DECLINED with its detailed status', async () => {
    const pending = await pendingTopUp('+639171234303');
    await api.simulator.untilTransaction(pending.providerExternalId, 'DECLINED-BARRED-CREDIT-PARTY');
    const answer = await api.request('POST', `/callbacks/dtone/${pending.token}`, {
      body: await dvsTransaction(pending.transactionId),
    });
    expect(answer.status).toBe(200);
    expect(await topUpStatus(pending.topUpId)).toMatchObject({
      id: 'DECLINED-BARRED-CREDIT-PARTY',
      class: 'DECLINED',
    });
  });

  it("answers 404 UNKNOWN_CALLBACK for a token of no top-up, and for another top-up's transaction under a real token", async () => {
    const first = await pendingTopUp('+639171234301');
    const second = await pendingTopUp('+639171234302');
    await api.simulator.untilTransaction(second.providerExternalId);
    const ofSecond = await dvsTransaction(second.transactionId);
    const before = { journal: await journalRows(), outbox: await api.count('outbox') };
    recording.lines.length = 0;

    const unknownToken = 'no-such-token-0123456789abcdef';
    for (const [token, body] of [
      [unknownToken, ofSecond],
      [first.token, ofSecond],
      [`${first.token}x`, await dvsTransaction(first.transactionId)],
    ] as const) {
      const answer = await api.request('POST', `/callbacks/dtone/${encodeURIComponent(token)}`, { body });
      expect({ status: answer.status, error: errorOf(answer) }).toEqual({
        status: 404,
        error: { code: 'UNKNOWN_CALLBACK', message: 'this dtone callback matches no top-up' },
      });
    }
    expect({ journal: await journalRows(), outbox: await api.count('outbox') }).toEqual(before);
    expect(await topUpStatus(first.topUpId)).not.toMatchObject({ class: 'COMPLETED' });

    // logged, without the token, the number or the provider's ids
    const logged = JSON.stringify(recording.lines);
    expect(recording.lines.filter((line) => String(line['msg']).includes('matches no top-up'))).toHaveLength(3);
    for (const secret of [first.token, unknownToken, '639171234302', second.transactionId])
      expect(logged).not.toContain(secret);
  });

  it('answers 400 for bodies that are not a DVS transaction, never 500, applying nothing', async () => {
    const pending = await pendingTopUp('+639171234100');
    const transaction = await dvsTransaction(pending.transactionId);
    const cases: readonly [string, { readonly body?: unknown; readonly rawBody?: string; readonly code: string }][] = [
      ['empty object', { body: {}, code: 'INVALID_REQUEST' }],
      ['an array', { body: [transaction], code: 'INVALID_REQUEST' }],
      ['no status', { body: { ...transaction, status: undefined }, code: 'INVALID_REQUEST' }],
      [
        'an unknown status',
        { body: { ...transaction, status: { message: 'PAID', class: { message: 'PAID' } } }, code: 'INVALID_REQUEST' },
      ],
      ['id not a number', { body: { ...transaction, id: 'x' }, code: 'INVALID_REQUEST' }],
      ['not JSON', { rawBody: '{"id": 1,', code: 'MALFORMED_JSON' }],
    ];
    for (const [name, sample] of cases) {
      const answer = await api.request('POST', `/callbacks/dtone/${pending.token}`, {
        ...(sample.rawBody === undefined ? { body: sample.body } : { rawBody: sample.rawBody }),
        headers: { 'content-type': 'application/json' },
      });
      expect({ name, status: answer.status, code: errorOf(answer)['code'] }).toEqual({
        name,
        status: 400,
        code: sample.code,
      });
    }
    const field = errorOf(
      await api.request('POST', `/callbacks/dtone/${pending.token}`, { body: { ...transaction, id: 'x' } }),
    );
    expect(field).toMatchObject({ field: 'id' });
    expect(await topUpStatus(pending.topUpId)).not.toMatchObject({ class: 'COMPLETED' });
  });

  it('needs no API key, and a key does not change the answer', async () => {
    const answer = await api.request('POST', '/callbacks/dtone/some-token-0123456789', { key, body: {} });
    expect(answer.status).toBe(400);
  });
});
