import { Effect } from 'effect';
import { makeMonotonicUuidV7, makeUuidIdGenerator, UUID_V7_MAX_COUNTER, uuidV7 } from './uuid-id-generator.adapter';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit millisecond and the 12-bit rand_a of a UUID v7. */
const fieldsOf = (id: string) => ({
  ms: Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16),
  randA: Number.parseInt(id.slice(15, 18), 16),
});

const expectStrictlyIncreasing = (ids: readonly string[]): void => {
  const outOfOrder = ids.findIndex((id, index) => index > 0 && !((ids[index - 1] ?? '') < id));
  expect(outOfOrder).toBe(-1);
};

describe('the UUID v7 id generator', () => {
  it('writes the time in the first 48 bits, the version and the variant', () => {
    const id = uuidV7(0x0123456789ab, new Uint8Array(10).fill(0xff));
    expect(id).toBe('01234567-89ab-7fff-bfff-ffffffffffff');
    expect(uuidV7(Date.now())).toMatch(UUID_V7);
    expect(uuidV7(0x0123456789ab, new Uint8Array(10).fill(0xff), 0x012)).toBe('01234567-89ab-7012-bfff-ffffffffffff');
  });

  it('gives 10,000 ids in a tight loop on the real clock, strictly increasing as strings', () => {
    const generator = makeUuidIdGenerator();
    const ids = Array.from({ length: 10_000 }, () => Effect.runSync(generator.next()));
    expectStrictlyIncreasing(ids);
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
    // many of them share a millisecond: the counter orders them, not the random bits
    const perMs = new Map<number, number>();
    for (const id of ids) perMs.set(fieldsOf(id).ms, (perMs.get(fieldsOf(id).ms) ?? 0) + 1);
    expect(Math.max(...perMs.values())).toBeGreaterThan(1);
  });

  it('counts up in rand_a within one millisecond, starting each millisecond below 0x800', () => {
    const next = makeMonotonicUuidV7();
    const ids = Array.from({ length: 100 }, () => next(1_700_000_000_000));
    const fields = ids.map(fieldsOf);
    expect(fields.every(({ ms }) => ms === 1_700_000_000_000)).toBe(true);
    expect(fields[0]?.randA).toBeLessThan(0x800);
    expect(fields.map(({ randA }) => randA - (fields[0]?.randA ?? 0))).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
    expect(fieldsOf(next(1_700_000_000_001))).toMatchObject({ ms: 1_700_000_000_001 });
  });

  it('stays in order when 10,000 ids share one millisecond (the counter moves to the next one) and when the clock steps back', () => {
    const next = makeMonotonicUuidV7();
    const frozen = Array.from({ length: 10_000 }, () => next(1_700_000_000_000));
    expectStrictlyIncreasing(frozen);
    expect(frozen.every((id) => UUID_V7.test(id) && fieldsOf(id).randA <= UUID_V7_MAX_COUNTER)).toBe(true);
    // at least 2,048 per millisecond, so 10,000 take at most 5 of them
    expect(fieldsOf(frozen.at(-1) ?? '').ms - 1_700_000_000_000).toBeLessThanOrEqual(4);

    const back = [next(1_700_000_000_000), next(1_699_999_999_000), next(1_700_000_000_000)];
    expectStrictlyIncreasing([...frozen, ...back]);
  });

  it('gives distinct ids ordered by time, and 256-bit URL-safe tokens', async () => {
    let now = 1_700_000_000_000;
    const generator = makeUuidIdGenerator(() => now++);
    const ids = await Effect.runPromise(Effect.all(Array.from({ length: 200 }, () => generator.next())));
    expect(new Set(ids).size).toBe(200);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map((id) => fieldsOf(id).ms)).toEqual(Array.from({ length: 200 }, (_, i) => 1_700_000_000_000 + i));
    const token = await Effect.runPromise(generator.secretToken());
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await Effect.runPromise(generator.secretToken())).not.toBe(token);
  });
});
