// End to end over real HTTP: a top-up requested through POST /v1/topups
// (API key, PostgreSQL, RabbitMQ) is sent by the consumer's workers (here
// in the API's process, API_WORKERS=true, on the commands queue) to the DVS simulator's HTTP
// server, which posts each status change to the top-up's own callback URL
// on this API (PROVIDER_CALLBACK_BASE_URL + /callbacks/dtone/<token>). For
// each sandbox suffix the top-up reaches its final status through those
// callbacks alone: no status query is ever made (stalled recovery waits a
// week of simulated time), and every callback was answered 200.
//
// The clock runs 5000 times faster than real time (CLOCK_SCALE), so the
// retry schedule of the "not now" answers (1, 2, 5, 30, 60, 120 minutes)
// takes a few seconds.
import { startApiHarness, type ApiHarness } from './testing/api-harness.fixture';

type Json = Record<string, unknown>;

/** The sandbox's answer for a number's last three digits (libs/provider-simulator/README.md), and the final status. */
const SUFFIXES: readonly (readonly [string, string, number])[] = [
  ['100', 'COMPLETED', 1],
  ['101', 'COMPLETED', 1],
  ['102', 'DECLINED-INVALID-CREDIT-PARTY', 1],
  ['103', 'DECLINED-BARRED-CREDIT-PARTY', 1],
  // "not now" answers are retried: the top-up ends DECLINED once its attempts run out
  ['104', 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE', 7],
  ['105', 'DECLINED-DUPLICATED-TRANSACTION', 7],
  ['106', 'DECLINED', 1],
  ['107', 'DECLINED-EXCEPTION', 1],
];

const FINAL = ['COMPLETED', 'REVERSED', 'REJECTED', 'CANCELLED', 'DECLINED'];

describe('a top-up from the API to its final status through the provider callbacks', () => {
  let api: ApiHarness;
  let key: string;

  beforeAll(async () => {
    api = await startApiHarness({
      label: 'api-e2e',
      providerCallbacks: true,
      environment: {
        API_WORKERS: 'true',
        CLOCK_SCALE: '5000',
        STALLED_AFTER_MS: '604800000',
        SCHEDULER_INTERVAL_MS: '50',
      },
    });
    await api.openAccount('team-growth', '1000.00');
    key = await api.issueKey('team-growth');
  });

  afterAll(async () => {
    await api?.close();
  });

  const untilFinal = async (id: string, timeoutMs: number): Promise<Json> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await api.request('GET', `/v1/topups/${id}`, { key });
      const topUp = answer.body as Json;
      const status = topUp['status'] as { class: string };
      if (FINAL.includes(status.class) || Date.now() > deadline) return topUp;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  /** Reads with `read` until `done` holds of what it read, or the deadline passes; answers the last read. */
  const eventually = async <T>(read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('reaches the final status of each sandbox suffix, every status through a callback answered 200', async () => {
    const created = await Promise.all(
      SUFFIXES.map(async ([suffix]) => {
        const answer = await api.request('POST', '/v1/topups', {
          key,
          body: {
            external_id: `e2e-${suffix}`,
            phone_number: `+639171234${suffix}`,
            currency: 'PHP',
            max_amount: '30',
          },
        });
        expect(answer.status).toBe(202);
        return answer.body as Json;
      }),
    );
    const finals = await Promise.all(created.map((topUp) => untilFinal(String(topUp['id']), 60_000)));

    for (const [index, [suffix, expected, attempts]] of SUFFIXES.entries()) {
      const topUp = finals[index] as Json;
      expect({
        suffix,
        status: (topUp['status'] as Json)['id'],
        attempts: (topUp['attempts'] as Json[]).length,
      }).toEqual({ suffix, status: expected, attempts });
      // the provider's word came by callback only: each attempt's exchanges are its send, never a status query.
      // A send's exchange is logged after its answer came, in a statement of its own, while the callbacks the
      // provider sends meanwhile can make the top-up final first: wait for the last attempt's exchange
      const exchanges = await eventually(
        async () =>
          (
            (await api.request('GET', `/v1/topups/${String(topUp['id'])}/transfer-log`, { key })).body as {
              exchanges: { method: string; url: string }[];
            }
          ).exchanges,
        (logged) => logged.length >= attempts,
      );
      expect(exchanges.length).toBe(attempts);
      expect(exchanges.every((exchange) => exchange.method === 'POST')).toBe(true);
    }

    // the simulator records a callback attempt once the API's answer reached it, after the API committed the
    // status: an attempt that failed (not answered within the simulator's 5 s) is sent again, and its answer
    // can come after the top-up was seen final here; wait until every status recorded was answered 200
    const keyOf = (callback: { transactionId: number; status: string }) =>
      `${callback.transactionId}:${callback.status}`;
    const callbacks = await eventually(
      () => api.simulator.callbacks(),
      (recorded) => {
        const ok = new Set(recorded.filter((callback) => callback.httpStatus === 200).map(keyOf));
        return recorded.every((callback) => ok.has(keyOf(callback)));
      },
    );
    expect(callbacks.length).toBeGreaterThan(0);
    expect(callbacks.every((callback) => callback.url.startsWith(`${api.url}/callbacks/dtone/`))).toBe(true);
    // every answer the API gave was 200; an attempt the API did not answer within the simulator's 5 s (a
    // loaded CI machine) is sent again, and each status of each transaction was finally answered 200
    expect(callbacks.filter((callback) => callback.httpStatus !== undefined && callback.httpStatus !== 200)).toEqual(
      [],
    );
    const answered = new Set(callbacks.filter((callback) => callback.httpStatus === 200).map(keyOf));
    expect(callbacks.filter((callback) => !answered.has(keyOf(callback)))).toEqual([]);

    // the money follows: the completed ones captured, the declined ones released
    const balance = await api.request('GET', '/v1/accounts/team-growth/balance', { key });
    const [usd] = (balance.body as { balances: { holding: { amount: string } }[] }).balances;
    expect(usd?.holding.amount).toBe('0.00');
  });
});
