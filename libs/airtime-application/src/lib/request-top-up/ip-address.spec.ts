import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { embeddedIpv4, ipRange, parseIpAddress, parseIpv4, parseIpv6, rangeContains } from './ip-address';

/** Text that is sometimes an address and often nearly one. */
const addressLike = (alphabet: string, maxLength: number) =>
  fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.ipV4Extended(),
    fc.string({ unit: fc.constantFrom(...alphabet.split('')), maxLength }),
    fc
      .tuple(fc.ipV6(), fc.nat({ max: 45 }), fc.constantFrom(':', '::', '.', '0', 'f', '1.2.3.4', ''))
      .map(([address, at, insert]) => address.slice(0, at) + insert + address.slice(at)),
  );

describe('parseIpv4 / parseIpv6', () => {
  it('read the addresses Node reads, and nothing else (dotted decimal; RFC 4291 text without zone)', () => {
    fc.assert(
      fc.property(addressLike('0123456789abcdefABCDEF:.', 46), (text) => {
        expect(parseIpv4(text) !== undefined).toBe(isIPv4(text));
        expect(parseIpv6(text) !== undefined).toBe(isIPv6(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('read an IPv6 address to the same bytes in every spelling (compressed, full, upper case, IPv4 tail)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
        const expected = groups.flatMap((group) => [group >> 8, group & 0xff]);
        const full = groups.map((group) => group.toString(16).padStart(4, '0')).join(':');
        // the URL parser writes the canonical (RFC 5952) form
        const canonical = new URL(`http://[${full}]/`).hostname.slice(1, -1);
        const tail = `${groups
          .slice(0, 6)
          .map((group) => group.toString(16))
          .join(':')}:${expected.slice(12).join('.')}`;
        for (const text of [full, full.toUpperCase(), canonical, tail]) {
          expect(parseIpv6(text)).toEqual({ version: 6, bytes: expected });
        }
      }),
    );
  });

  it('refuse the forms a URL parser or resolver reads loosely: leading zeros, shorthand, numbers, zones', () => {
    for (const text of ['127.1', '0177.0.0.1', '2130706433', '0x7f.0.0.1', '127.0.0.01', '1.2.3.4.', ' 1.2.3.4']) {
      expect(parseIpAddress(text)).toBeUndefined();
    }
    for (const text of ['fe80::1%eth0', '[::1]', '1::2::3', ':::', '1:2:3:4:5:6:7:8:9', '12345::', '::ffff:1.2.3.04']) {
      expect(parseIpAddress(text)).toBeUndefined();
    }
  });
});

describe('ipRange / rangeContains', () => {
  it('contains exactly the addresses sharing the prefix bits', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (base, other, prefixLength) => {
        const range = ipRange(`${base}/${prefixLength}`);
        const toBits = (text: string) =>
          text
            .split('.')
            .map((part) => Number(part).toString(2).padStart(8, '0'))
            .join('');
        const address = parseIpv4(other);
        if (address === undefined) throw new Error('fc.ipV4 gave an address that is not one');
        expect(rangeContains(range, address)).toBe(
          toBits(base).slice(0, prefixLength) === toBits(other).slice(0, prefixLength),
        );
      }),
    );
  });

  it('never mixes versions, and refuses a malformed range', () => {
    const mapped = parseIpv6('::ffff:127.0.0.1');
    expect(mapped !== undefined && rangeContains(ipRange('127.0.0.0/8'), mapped)).toBe(false);
    expect(mapped !== undefined && rangeContains(ipRange('::ffff:0:0/96'), mapped)).toBe(true);
    expect(mapped !== undefined && embeddedIpv4(mapped, 12)).toEqual({ version: 4, bytes: [127, 0, 0, 1] });
    for (const cidr of ['10.0.0.0/33', '10.0.0.0', '10.0.0/8', '::/129', 'fe80::/x', '10.0.0.0/8/8']) {
      expect(() => ipRange(cidr)).toThrow('not a CIDR range');
    }
  });
});
