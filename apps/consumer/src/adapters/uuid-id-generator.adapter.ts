// The IdGenerator port: UUID v7 ids (time-ordered, so that rows created
// together sit together in indexes) and 256-bit URL-safe secret tokens,
// both from node:crypto.
import { randomBytes } from 'node:crypto';
import { IdGenerator, type IdGeneratorService } from '@airtime/domain';
import { Effect, Layer } from 'effect';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A UUID v7 (RFC 9562): 48 bits of epoch ms, version 7, 74 random bits, variant 10. */
export const uuidV7 = (nowMs: number, random: Uint8Array = randomBytes(10)): string => {
  const bytes = new Uint8Array(16);
  let time = BigInt(Math.max(0, Math.floor(nowMs)));
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = Number(time & 0xffn);
    time >>= 8n;
  }
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const text = hex(bytes);
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
};

export const makeUuidIdGenerator = (nowMs: () => number = Date.now): IdGeneratorService => ({
  next: () => Effect.sync(() => uuidV7(nowMs())),
  secretToken: () => Effect.sync(() => randomBytes(32).toString('base64url')),
});

export const uuidIdGeneratorLayer = (nowMs?: () => number): Layer.Layer<IdGenerator> =>
  Layer.succeed(IdGenerator, makeUuidIdGenerator(nowMs));
