import { CallbackDispatcher, type CallbackSender, DEFAULT_CALLBACK_RETRY, retryDelayMs } from './callback-dispatcher';
import { SimulationScheduler } from './simulation-scheduler';

const delivery = { transactionId: 7, status: 'COMPLETED' as const, url: 'http://receiver.test/cb', body: '{"id":7}' };

const setup = (answers: readonly (number | Error)[], dropping = () => false) => {
  const scheduler = new SimulationScheduler({ autoRun: false });
  const sent: { readonly atMs: number; readonly url: string; readonly body: string }[] = [];
  let call = 0;
  const sender: CallbackSender = async (url, body) => {
    sent.push({ atMs: scheduler.now(), url, body });
    const answer = answers[Math.min(call++, answers.length - 1)] ?? 200;
    if (answer instanceof Error) throw answer;
    return { status: answer };
  };
  const dispatcher = new CallbackDispatcher(
    scheduler,
    sender,
    { maxAttempts: 4, initialDelayMs: 1_000, backoffFactor: 2 },
    dropping,
  );
  return { scheduler, dispatcher, sent };
};

describe('callback dispatcher', () => {
  it('delivers once when the receiver answers 2xx', async () => {
    const { scheduler, dispatcher, sent } = setup([204]);
    dispatcher.dispatch(delivery);
    await scheduler.flush();
    expect(sent).toEqual([{ atMs: 0, url: delivery.url, body: delivery.body }]);
    expect(dispatcher.log()).toEqual([expect.objectContaining({ attempt: 1, outcome: 'DELIVERED', httpStatus: 204 })]);
  });

  it('retries with exponential backoff until a 2xx', async () => {
    const { scheduler, dispatcher, sent } = setup([500, new Error('connection refused'), 503, 200]);
    dispatcher.dispatch(delivery);
    await scheduler.flush();
    expect(sent.map((attempt) => attempt.atMs)).toEqual([0, 1_000, 3_000, 7_000]);
    expect(dispatcher.log().map((attempt) => [attempt.attempt, attempt.outcome])).toEqual([
      [1, 'FAILED'],
      [2, 'FAILED'],
      [3, 'FAILED'],
      [4, 'DELIVERED'],
    ]);
    expect(dispatcher.log()[1]?.error).toBe('connection refused');
  });

  it('gives up after maxAttempts', async () => {
    const { scheduler, dispatcher, sent } = setup([500]);
    dispatcher.dispatch(delivery);
    await scheduler.flush();
    expect(sent).toHaveLength(4);
    expect(dispatcher.log().every((attempt) => attempt.outcome === 'FAILED')).toBe(true);
  });

  it('a retry is not sent before its delay', async () => {
    const { scheduler, dispatcher, sent } = setup([500, 200]);
    dispatcher.dispatch(delivery);
    await scheduler.advance(999);
    expect(sent).toHaveLength(1);
    await scheduler.advance(1);
    expect(sent).toHaveLength(2);
  });

  it('dropped callbacks are recorded and never sent nor retried', async () => {
    const { scheduler, dispatcher, sent } = setup([200], () => true);
    dispatcher.dispatch(delivery);
    await scheduler.flush();
    expect(sent).toEqual([]);
    expect(dispatcher.log()).toEqual([expect.objectContaining({ attempt: 1, outcome: 'DROPPED' })]);
  });

  it('the default policy: 5 attempts, 1 s then doubling', () => {
    expect(DEFAULT_CALLBACK_RETRY).toEqual({ maxAttempts: 5, initialDelayMs: 1_000, backoffFactor: 2 });
    expect([2, 3, 4, 5].map((attempt) => retryDelayMs(DEFAULT_CALLBACK_RETRY, attempt))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
  });
});
