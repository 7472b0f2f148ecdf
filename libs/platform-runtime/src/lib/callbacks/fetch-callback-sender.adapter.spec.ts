import { Effect } from 'effect';
import fc from 'fast-check';
import { makeFetchCallbackSender } from './fetch-callback-sender.adapter';

const byte = fc.integer({ min: 0, max: 255 });
const hex16 = fc.integer({ min: 0, max: 0xffff }).map((group) => group.toString(16));

/** IPv4 addresses inside the platform's reach: private, loopback, link-local, CGNAT, unspecified. */
const nonPublicIpv4 = fc.oneof(
  fc.tuple(fc.constant(10), byte, byte, byte),
  fc.tuple(fc.constant(127), byte, byte, byte),
  fc.tuple(fc.constant(169), fc.constant(254), byte, byte),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), byte, byte),
  fc.tuple(fc.constant(192), fc.constant(168), byte, byte),
  fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), byte, byte),
  fc.tuple(fc.constant(0), byte, byte, byte),
);

/** The same, as a resolver may give them: dotted, IPv4-mapped IPv6; and IPv6 unique-local, link-local, loopback. */
const nonPublicResolved = fc.oneof(
  nonPublicIpv4.map((parts) => parts.join('.')),
  nonPublicIpv4.map((parts) => `::ffff:${parts.join('.')}`),
  fc.tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), hex16, hex16).map(([a, b, c]) => `${a.toString(16)}:${b}::${c}`),
  fc.tuple(hex16, hex16).map(([a, b]) => `fe80::${a}:${b}`),
  fc.constantFrom('::1', '::'),
);

/** A URL host that is one of those addresses, in a form a URL parser reads to it. */
const nonPublicLiteralHost = fc.oneof(
  nonPublicIpv4.map((parts) => parts.join('.')),
  nonPublicIpv4.map(([a, b, c, d]) => String(((a << 24) >>> 0) + (b << 16) + (c << 8) + d)),
  nonPublicIpv4.map((parts) => parts.map((part) => `0x${part.toString(16)}`).join('.')),
  nonPublicIpv4.map((parts) => parts.map((part) => `0${part.toString(8)}`).join('.')),
  nonPublicIpv4.map((parts) => `[::ffff:${parts.join('.')}]`),
  fc.tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), hex16).map(([a, b]) => `[${a.toString(16)}::${b}]`),
);

const post = (sender: ReturnType<typeof makeFetchCallbackSender>, url: string) =>
  Effect.runPromise(sender.post(url, '{}', {}));

describe('fetch callback sender: the host check (no request leaves)', () => {
  it('refuses any URL whose host is a non-public address in any form, without resolving it', async () => {
    let lookups = 0;
    const sender = makeFetchCallbackSender({
      timeoutMs: 500,
      resolve: () => {
        lookups += 1;
        return Promise.resolve([]);
      },
    });
    await fc.assert(
      fc.asyncProperty(nonPublicLiteralHost, fc.constantFrom('http', 'https'), async (host, scheme) => {
        const answer = await post(sender, `${scheme}://${host}/hooks?token=t`);
        expect(answer).toEqual({ status: null, durationMs: 0, error: expect.stringMatching(/^not sent: /) });
      }),
      { numRuns: 300 },
    );
    expect(lookups).toBe(0);
  });

  it('refuses a name when any address it resolves to is not public, in any order among public ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        nonPublicResolved,
        fc.array(fc.constantFrom('93.184.215.14', '1.1.1.1', '2606:4700:4700::1111'), { maxLength: 3 }),
        fc.nat(),
        async (inside, outside, at) => {
          const addresses: string[] = [...outside];
          addresses.splice(at % (outside.length + 1), 0, inside);
          const sender = makeFetchCallbackSender({
            timeoutMs: 500,
            resolve: () =>
              Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))),
          });
          const answer = await post(sender, 'https://hooks.caller.example/topups');
          expect(answer).toMatchObject({
            status: null,
            error: expect.stringMatching(/^not sent: the host resolved to an address that is not public/),
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a name that resolves to nothing', async () => {
    const sender = makeFetchCallbackSender({ resolve: () => Promise.resolve([]) });
    expect(await post(sender, 'https://hooks.caller.example/topups')).toMatchObject({
      status: null,
      error: 'not sent: the host resolved to no address',
    });
  });
});
