import { Effect, Layer, ManagedRuntime } from 'effect';
import { runUseCase, useCasesSettled } from './run-use-case';

describe('useCasesSettled: shutting down waits for the use cases in flight', () => {
  const runtime = ManagedRuntime.make(Layer.empty);
  afterAll(async () => runtime.dispose());

  it('answers 0 at once when nothing runs', async () => {
    expect(await useCasesSettled(runtime, 1_000)).toBe(0);
  });

  it('resolves once the runs in flight have settled, failed ones included', async () => {
    const finished: string[] = [];
    const ok = runUseCase(runtime, Effect.as(Effect.sleep('60 millis'), 'ok')).then((value) => finished.push(value));
    const failed = runUseCase(runtime, Effect.zipRight(Effect.sleep('30 millis'), Effect.dieMessage('boom'))).catch(
      () => finished.push('defect'),
    );
    expect(await useCasesSettled(runtime, 5_000)).toBe(0);
    await Promise.all([ok, failed]);
    expect(finished.sort()).toEqual(['defect', 'ok']);
  });

  it('gives up after the timeout and says how many still run', async () => {
    const slow = runUseCase(runtime, Effect.sleep('300 millis'));
    const started = Date.now();
    expect(await useCasesSettled(runtime, 20)).toBe(1);
    expect(Date.now() - started).toBeLessThan(250);
    await slow;
    expect(await useCasesSettled(runtime, 0)).toBe(0);
  });
});
