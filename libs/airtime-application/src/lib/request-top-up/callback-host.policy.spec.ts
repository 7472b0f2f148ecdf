import fc from 'fast-check';
import { addressRefusal, callbackHostRefusal } from './callback-host.policy';
import { NON_PUBLIC_IPV4_RANGES, NON_PUBLIC_IPV6_RANGES } from './callback-host.table';
import { ipRange, type IpRange } from './ip-address';

/** The host a URL parser makes of `host` (as the check sees it), or undefined when no URL has it. */
const hostnameOf = (host: string): string | undefined =>
  URL.canParse(`https://${host}/`) ? new URL(`https://${host}/`).hostname : undefined;

const refusalOfWritten = (host: string): string | undefined => {
  const hostname = hostnameOf(host);
  if (hostname === undefined) throw new Error('expected a host a URL parser reads');
  return callbackHostRefusal(hostname);
};

/** An address of `range` with random bits after its prefix. */
const addressIn = (range: IpRange) =>
  fc
    .array(fc.integer({ min: 0, max: 255 }), { minLength: range.bytes.length, maxLength: range.bytes.length })
    .map((random) =>
      range.bytes.map((byte, index) => {
        const fixedBits = Math.max(0, Math.min(8, range.prefixLength - index * 8));
        const mask = (0xff << (8 - fixedBits)) & 0xff;
        return (byte & mask) | ((random[index] ?? 0) & ~mask & 0xff);
      }),
    );

const hex = (n: number): string => n.toString(16);
const groupsOf = (bytes: readonly number[]): string[] =>
  Array.from({ length: bytes.length / 2 }, (_, i) => hex(((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0)));

/** Every way an IPv4 address can be written in a URL's host and still reach it. */
const ipv4Forms = ([a = 0, b = 0, c = 0, d = 0]: readonly number[]): string[] => {
  const n = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  return [
    `${a}.${b}.${c}.${d}`,
    `${a}.${b}.${c}.${d}.`,
    String(n),
    `0x${hex(n)}`,
    `0X${hex(n).toUpperCase()}`,
    `0${n.toString(8)}`,
    [a, b, c, d].map((part) => `0${part.toString(8)}`).join('.'),
    [a, b, c, d].map((part) => `0x${hex(part)}`).join('.'),
    `${a}.${(b << 16) + (c << 8) + d}`,
    `${a}.${b}.${(c << 8) + d}`,
    `0x${hex(a)}.${(b << 16) + (c << 8) + d}`,
    [a, b, c, d]
      .map((part) => String(part).replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit))))
      .join('.'),
    `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${groupsOf([a, b, c, d]).join(':')}]`,
    `[0:0:0:0:0:ffff:${groupsOf([a, b, c, d]).join(':')}]`,
    `[64:ff9b::${a}.${b}.${c}.${d}]`,
    `[2002:${groupsOf([a, b, c, d]).join(':')}::1]`,
  ];
};

/** Spans of first octets whose every address is public. */
const PUBLIC_FIRST_OCTETS: readonly (readonly [number, number])[] = [
  [1, 9],
  [11, 99],
  [101, 126],
  [128, 168],
  [170, 171],
  [173, 191],
  [193, 197],
  [199, 202],
  [204, 223],
];
const publicIpv4 = fc
  .tuple(
    fc.constantFrom(...PUBLIC_FIRST_OCTETS).chain(([min, max]) => fc.integer({ min, max })),
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 3, maxLength: 3 }),
  )
  .map(([first, rest]) => [first, ...rest]);

describe('callbackHostRefusal', () => {
  it('refuses every address of every non-public IPv4 range, whatever form it is written in', () => {
    const ranges = NON_PUBLIC_IPV4_RANGES.map(([cidr]) => ipRange(cidr));
    fc.assert(
      fc.property(
        fc.constantFrom(...ranges).chain((range) => addressIn(range)),
        (bytes) => {
          for (const form of ipv4Forms(bytes)) {
            expect([form, refusalOfWritten(form)]).toEqual([
              form,
              expect.stringMatching(/^the host's address is not public/),
            ]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts a public IPv4 address in every form that reaches it', () => {
    fc.assert(
      fc.property(publicIpv4, (bytes) => {
        for (const form of ipv4Forms(bytes)) expect([form, refusalOfWritten(form)]).toEqual([form, undefined]);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses every address of every non-public IPv6 range, and any outside global unicast', () => {
    const ranges = [
      ...NON_PUBLIC_IPV6_RANGES.map(([cidr]) => ipRange(cidr)),
      ipRange('::/3'),
      ipRange('4000::/2'),
      ipRange('8000::/1'),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...ranges).chain((range) => addressIn(range)),
        (bytes) => {
          const written = `[${groupsOf(bytes).join(':')}]`;
          // an IPv4 address inside IPv6 is judged as IPv4: keep to the ones that are not public either way
          const host = hostnameOf(written) ?? '';
          if (/^\[(::ffff:|64:ff9b::|2002:)/.test(host)) return;
          expect([written, callbackHostRefusal(host)]).toEqual([written, expect.stringMatching(/not public/)]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts a public IPv6 address (global unicast outside the special ranges)', () => {
    fc.assert(
      fc.property(addressIn(ipRange('2400::/6')), (bytes) => {
        const written = `[${groupsOf(bytes).join(':')}]`;
        expect(refusalOfWritten(written)).toBeUndefined();
      }),
    );
  });

  it.each([
    ['169.254.169.254', 'link-local'],
    ['10.0.0.1', 'private'],
    ['127.0.0.1:15672', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['192.0.2.10', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['[::1]', 'loopback'],
    ['[::]', 'unspecified'],
    ['[::ffff:169.254.169.254]', 'link-local'],
    ['[fd00:ec2::254]', 'unique-local'],
    ['[fe80::1]', 'link-local'],
    ['[ff02::1]', 'multicast'],
    ['[2001:db8::1]', 'documentation'],
    ['[64:ff9b::a00:1]', 'private'],
    ['[2002:a9fe:a9fe::1]', 'link-local'],
  ])('names why %s is refused (%s)', (host, kind) => {
    expect(refusalOfWritten(host)).toContain(kind);
  });

  it.each([
    ['localhost', 'localhost'],
    ['LOCALHOST.', 'localhost'],
    ['metrics.localhost', 'localhost'],
    ['printer.local', 'local'],
    ['metadata.google.internal', 'internal'],
    ['router.home.arpa', 'home.arpa'],
  ])('refuses %s, a name that never leaves a machine or a site', (host, name) => {
    expect(refusalOfWritten(host)).toBe(`the host is not public (${name} or a name under it)`);
  });

  it('refuses single-label names (resolved by search domains, inside the platform) and empty labels', () => {
    for (const host of ['rabbitmq', 'postgres.', 'metadata']) {
      expect(refusalOfWritten(host)).toBe('the host is a single-label name (not public)');
    }
    expect(callbackHostRefusal('a..example')).toBe('the host is not a name in a standard form');
  });

  it('accepts public names, including ones that start with a number or hold a reserved word inside', () => {
    for (const host of [
      'caller.example',
      'hooks.acme.co.uk',
      '1password.com',
      'localhost.example.com',
      'xn--caf-dma.fr',
    ]) {
      expect([host, refusalOfWritten(host)]).toEqual([host, undefined]);
    }
  });

  it('refuses a host it cannot read as a standard address', () => {
    expect(callbackHostRefusal('[not-an-address]')).toBe('the host is not an address in a standard form');
    expect(callbackHostRefusal('[127.0.0.1]')).toBe('the host is not an address in a standard form');
    expect(callbackHostRefusal('example.0x10')).toBe('the host is not an address in a standard form');
  });
});

describe('addressRefusal (a resolved address)', () => {
  it('accepts a public address, refuses a non-public one and text that is no address', () => {
    expect(addressRefusal('93.184.215.14')).toBeUndefined();
    expect(addressRefusal('2606:2800:21f:cb07:6820:80da:af6b:8b2c')).toBeUndefined();
    expect(addressRefusal('127.0.0.1')).toBe('the address is not public (loopback)');
    expect(addressRefusal('::ffff:10.1.2.3')).toBe('the address is not public (private)');
    expect(addressRefusal('fe80::1%eth0')).toBe('the address is not in a standard form');
    expect(addressRefusal('localhost')).toBe('the address is not in a standard form');
  });
});
