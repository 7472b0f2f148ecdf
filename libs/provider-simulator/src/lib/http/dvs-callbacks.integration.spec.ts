import { type CallbackReceiver, startCallbackReceiver, startDvsSimulatorServer } from '../../testing';
import { dvsHttpClient } from '../../testing/dvs-http.client';

interface CallbackBody {
  readonly id: number;
  readonly external_id: string;
  readonly status: { readonly message: string; readonly class: { readonly message: string } };
}

const statusOf = (callback: { readonly body: unknown }) => (callback.body as CallbackBody).status.message;

describe('DVS simulator over HTTP: callbacks', () => {
  let receiver: CallbackReceiver;

  beforeEach(async () => {
    receiver = await startCallbackReceiver();
  });
  afterEach(() => receiver.close());

  it('POSTs the transaction object to the callback URL on each status change, in real (scaled) time', async () => {
    const sim = await startDvsSimulatorServer({ timeScale: 0.001 });
    try {
      const created = await dvsHttpClient(sim.baseUrl, sim.authorization).post('/async/transactions', {
        external_id: 'cb-1',
        product_id: 103,
        auto_confirm: true,
        credit_party_identifier: { mobile_number: '+639170000203' },
        callback_url: receiver.url,
      });
      const { id } = created.body as CallbackBody;
      expect(created.body).toMatchObject({ callback_url: receiver.url });
      const received = await receiver.waitFor(3);
      // each status change is POSTed once; deliveries in flight may overtake each other
      expect(received.map(statusOf).sort()).toEqual(['CONFIRMED', 'DECLINED-BARRED-CREDIT-PARTY', 'SUBMITTED']);
      expect(received.find((callback) => statusOf(callback) === 'DECLINED-BARRED-CREDIT-PARTY')).toMatchObject({
        method: 'POST',
        path: '/callbacks',
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
        body: {
          id,
          external_id: 'cb-1',
          status: { message: 'DECLINED-BARRED-CREDIT-PARTY', class: { message: 'DECLINED' } },
          product: { id: 103 },
          callback_url: receiver.url,
        },
      });
    } finally {
      await sim.close();
    }
  });

  it('retries a callback with backoff until the receiver answers 2xx', async () => {
    const sim = await startDvsSimulatorServer({
      autoRun: false,
      callbackRetry: { maxAttempts: 5, initialDelayMs: 1_000, backoffFactor: 2 },
    });
    try {
      receiver.answerNext(500, 503);
      await dvsHttpClient(sim.baseUrl, sim.authorization).post('/async/transactions', {
        external_id: 'cb-2',
        product_id: 101,
        auto_confirm: true,
        credit_party_identifier: { mobile_number: '+639171234567' },
        callback_url: receiver.url,
      });
      await sim.flush();
      const received = receiver.received();
      expect(received.map((callback) => [statusOf(callback), callback.answeredWith])).toEqual([
        ['CONFIRMED', 500],
        ['COMPLETED', 503],
        ['CONFIRMED', 200],
        ['COMPLETED', 200],
      ]);
      const log = sim
        .callbacks()
        .map((attempt) => [attempt.status, attempt.attempt, attempt.outcome, attempt.httpStatus]);
      expect(log).toEqual([
        ['CONFIRMED', 1, 'FAILED', 500],
        ['COMPLETED', 1, 'FAILED', 503],
        ['CONFIRMED', 2, 'DELIVERED', 200],
        ['COMPLETED', 2, 'DELIVERED', 200],
      ]);
      expect(sim.callbacks()[2]?.atMs).toBe(1_000);
    } finally {
      await sim.close();
    }
  });

  it('stops after the maximum number of attempts when the receiver never answers 2xx', async () => {
    const sim = await startDvsSimulatorServer({ autoRun: false, callbackRetry: { maxAttempts: 3 } });
    const unreachable = await startCallbackReceiver();
    const url = unreachable.url;
    await unreachable.close();
    try {
      await dvsHttpClient(sim.baseUrl, sim.authorization).post('/async/transactions', {
        external_id: 'cb-3',
        product_id: 901,
        auto_confirm: true,
        callback_url: url,
      });
      await sim.flush();
      const attempts = sim.callbacks().filter((attempt) => attempt.status === 'COMPLETED');
      expect(attempts.map((attempt) => [attempt.attempt, attempt.outcome, attempt.atMs])).toEqual([
        [1, 'FAILED', 0],
        [2, 'FAILED', 1_000],
        [3, 'FAILED', 3_000],
      ]);
      expect(attempts[0]?.error).toEqual(expect.any(String));
    } finally {
      await sim.close();
    }
  });
});
