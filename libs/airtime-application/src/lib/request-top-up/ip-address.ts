// IP addresses and ranges as bytes, read strictly: IPv4 in dotted decimal
// (four numbers 0..255, no leading zeros: the form URL parsers and resolvers
// give), IPv6 in RFC 4291 text (with `::` and a dotted IPv4 tail, no zone).
// Anything else is not an address here; the callers decide what that means.

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly bytes: readonly number[];
}

/** The addresses sharing the first `prefixLength` bits of `bytes` (CIDR). */
export interface IpRange extends IpAddress {
  readonly prefixLength: number;
}

const IPV4_PART = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${IPV4_PART}\\.${IPV4_PART}\\.${IPV4_PART}\\.${IPV4_PART}$`);
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** A dotted-decimal IPv4 address (`127.0.0.1`), or undefined. */
export const parseIpv4 = (text: string): IpAddress | undefined =>
  IPV4.test(text) ? { version: 4, bytes: text.split('.').map(Number) } : undefined;

/** The 16-bit groups of one side of `::`, the last one possibly a dotted IPv4 tail. */
const groupsOf = (part: string, ipv4TailAllowed: boolean): number[] | undefined => {
  if (part === '') return [];
  const pieces = part.split(':');
  const groups: number[] = [];
  for (const [index, piece] of pieces.entries()) {
    if (ipv4TailAllowed && index === pieces.length - 1 && piece.includes('.')) {
      const tail = parseIpv4(piece);
      if (tail === undefined) return undefined;
      const [a = 0, b = 0, c = 0, d = 0] = tail.bytes;
      groups.push((a << 8) | b, (c << 8) | d);
    } else if (HEX_GROUP.test(piece)) {
      groups.push(Number.parseInt(piece, 16));
    } else {
      return undefined;
    }
  }
  return groups;
};

/** An IPv6 address in RFC 4291 text (`::1`, `::ffff:127.0.0.1`, `2001:db8::1`), without brackets or zone; or undefined. */
export const parseIpv6 = (text: string): IpAddress | undefined => {
  if (text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[];
  if (halves.length === 1) {
    const all = groupsOf(text, true);
    if (all === undefined || all.length !== 8) return undefined;
    groups = all;
  } else {
    const left = groupsOf(halves[0] ?? '', false);
    const right = groupsOf(halves[1] ?? '', true);
    if (left === undefined || right === undefined || left.length + right.length > 7) return undefined;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  return { version: 6, bytes: groups.flatMap((group) => [group >> 8, group & 0xff]) };
};

/** An IPv4 or IPv6 address in its strict text form, or undefined. */
export const parseIpAddress = (text: string): IpAddress | undefined => parseIpv4(text) ?? parseIpv6(text);

/** A range in CIDR text (`10.0.0.0/8`, `fc00::/7`); throws on a malformed one (the ranges are constants). */
export const ipRange = (cidr: string): IpRange => {
  const [text = '', length = '', ...rest] = cidr.split('/');
  const address = parseIpAddress(text);
  const prefixLength = /^[0-9]{1,3}$/.test(length) ? Number(length) : Number.NaN;
  if (address === undefined || rest.length > 0 || !(prefixLength <= address.bytes.length * 8)) {
    throw new Error(`not a CIDR range: ${cidr}`);
  }
  return { ...address, prefixLength };
};

/** Whether `address` is in `range` (same version, same first prefixLength bits). */
export const rangeContains = (range: IpRange, address: IpAddress): boolean => {
  if (range.version !== address.version) return false;
  for (let bit = 0; bit < range.prefixLength; bit += 8) {
    const bits = Math.min(8, range.prefixLength - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    const index = bit / 8;
    if (((range.bytes[index] ?? 0) & mask) !== ((address.bytes[index] ?? 0) & mask)) return false;
  }
  return true;
};

/** The IPv4 address held in four bytes of an IPv6 one, from `offset`. */
export const embeddedIpv4 = (address: IpAddress, offset: number): IpAddress => ({
  version: 4,
  bytes: address.bytes.slice(offset, offset + 4),
});
