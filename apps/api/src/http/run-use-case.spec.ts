import { Effect, Layer, ManagedRuntime } from 'effect';
import type { FastifyRequest } from 'fastify';
import { logRequestDefect, runUseCase, useCasesSettled } from './run-use-case';

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

describe('logRequestDefect', () => {
  it("logs the route, the method and the defect's class and frames, never its message (it may quote the request)", async () => {
    const runtime = ManagedRuntime.make(Layer.empty);
    const thrown = await runUseCase(
      runtime,
      Effect.sync(() => JSON.parse('SECRET') as unknown),
    ).catch((error: unknown) => error);
    await runtime.dispose();
    const lines: Array<{ readonly fields: Record<string, unknown>; readonly message: string }> = [];
    const request = { routeOptions: { url: '/v1/topups' }, method: 'POST' } as unknown as FastifyRequest;
    logRequestDefect(
      {
        error: (fields: object, message: string) =>
          void lines.push({ fields: fields as Record<string, unknown>, message }),
      } as never,
      request,
      thrown,
      'request failed with a defect',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]?.message).toBe('request failed with a defect');
    expect(lines[0]?.fields).toMatchObject({ route: '/v1/topups', method: 'POST', defect: { name: 'SyntaxError' } });
    expect((lines[0]?.fields['defect'] as { at: string[] }).at.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain('SECRET');
  });
});
