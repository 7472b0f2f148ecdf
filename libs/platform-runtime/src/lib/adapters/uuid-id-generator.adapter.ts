// The IdGenerator port: UUID v7 ids (time-ordered, so that rows created
// together sit together in indexes) and 256-bit URL-safe secret tokens,
// both from node:crypto. The ids of one generator strictly increase, as
// bytes and as strings, even within one millisecond or when the clock steps
// back: RFC 9562 method 1, a counter in the 12 bits of rand_a.
import { randomBytes } from 'node:crypto';
import { IdGenerator, type IdGeneratorService } from '@airtime/domain';
import { Effect, Layer } from 'effect';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The largest value of the counter in rand_a (12 bits). */
export const UUID_V7_MAX_COUNTER = 0xfff;

/**
 * A UUID v7 (RFC 9562): 48 bits of epoch ms, version 7, 12 bits of rand_a,
 * variant 10, 62 random bits. With `counter` (0 to 0xfff), rand_a is that
 * counter instead of random bits.
 */
export const uuidV7 = (nowMs: number, random: Uint8Array = randomBytes(10), counter?: number): string => {
  const bytes = new Uint8Array(16);
  let time = BigInt(Math.max(0, Math.floor(nowMs)));
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = Number(time & 0xffn);
    time >>= 8n;
  }
  bytes.set(random.subarray(0, 10), 6);
  if (counter !== undefined) {
    bytes[6] = (counter >> 8) & 0x0f;
    bytes[7] = counter & 0xff;
  }
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const text = hex(bytes);
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
};

/**
 * A source of strictly increasing UUID v7s (RFC 9562 section 6.2, method 1).
 * Each new millisecond starts the rand_a counter at a random value below
 * 0x800 (so at least 2,048 ids fit in it); each further id in the same
 * millisecond adds one. A clock that steps back keeps the last millisecond
 * used, and a counter that would pass 0xfff moves to the next millisecond,
 * so the ids stay in order (at most a few milliseconds ahead of the clock
 * under such bursts). `random(n)` gives n random bytes.
 */
export const makeMonotonicUuidV7 = (
  random: (size: number) => Uint8Array = randomBytes,
): ((nowMs: number) => string) => {
  let lastMs = -1;
  let counter = 0;
  const seed = (): number => {
    const bytes = random(2);
    return (((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0)) & 0x7ff;
  };
  return (nowMs) => {
    const ms = Math.max(0, Math.floor(nowMs));
    if (ms > lastMs) {
      lastMs = ms;
      counter = seed();
    } else if (counter < UUID_V7_MAX_COUNTER) {
      counter += 1;
    } else {
      lastMs += 1;
      counter = seed();
    }
    return uuidV7(lastMs, random(10), counter);
  };
};

/** Ids from one monotonic source per generator (its ids strictly increase), and fresh 256-bit tokens. */
export const makeUuidIdGenerator = (nowMs: () => number = Date.now): IdGeneratorService => {
  const nextId = makeMonotonicUuidV7();
  return {
    next: () => Effect.sync(() => nextId(nowMs())),
    secretToken: () => Effect.sync(() => randomBytes(32).toString('base64url')),
  };
};

export const uuidIdGeneratorLayer = (nowMs?: () => number): Layer.Layer<IdGenerator> =>
  Layer.succeed(IdGenerator, makeUuidIdGenerator(nowMs));
