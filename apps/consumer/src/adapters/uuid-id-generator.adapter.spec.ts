import { Effect } from 'effect';
import { makeUuidIdGenerator, uuidV7 } from './uuid-id-generator.adapter';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the UUID v7 id generator', () => {
  it('writes the time in the first 48 bits, the version and the variant', () => {
    const id = uuidV7(0x0123456789ab, new Uint8Array(10).fill(0xff));
    expect(id).toBe('01234567-89ab-7fff-bfff-ffffffffffff');
    expect(uuidV7(Date.now())).toMatch(UUID_V7);
  });

  it('gives distinct ids ordered by time, and 256-bit URL-safe tokens', async () => {
    let now = 1_700_000_000_000;
    const generator = makeUuidIdGenerator(() => now++);
    const ids = await Effect.runPromise(Effect.all(Array.from({ length: 200 }, () => generator.next())));
    expect(new Set(ids).size).toBe(200);
    expect([...ids].sort()).toEqual(ids);
    const token = await Effect.runPromise(generator.secretToken());
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await Effect.runPromise(generator.secretToken())).not.toBe(token);
  });
});
