// Whether the platform may POST a caller's callback to a host: a public
// address, or a name that is neither single-label nor one of the names that
// never leave a machine or a site. Checked when a request is taken (the URL's
// host) and again when a callback is sent (every address the name resolves
// to, since a name may point anywhere by then). Local set-ups turn it off.
import {
  IPV6_GLOBAL_UNICAST,
  IPV6_RANGES_WITH_IPV4,
  NON_PUBLIC_HOST_NAMES,
  NON_PUBLIC_IPV4_RANGES,
  NON_PUBLIC_IPV6_RANGES,
} from './callback-host.table';
import {
  embeddedIpv4,
  type IpAddress,
  ipRange,
  type IpRange,
  parseIpAddress,
  parseIpv4,
  rangeContains,
} from './ip-address';

const IPV4_RANGES = NON_PUBLIC_IPV4_RANGES.map(([cidr, kind]) => ({ range: ipRange(cidr), kind }));
const IPV6_RANGES = NON_PUBLIC_IPV6_RANGES.map(([cidr, kind]) => ({ range: ipRange(cidr), kind }));
const IPV6_WITH_IPV4 = IPV6_RANGES_WITH_IPV4.map(([cidr, offset]) => ({ range: ipRange(cidr), offset }));
const GLOBAL_UNICAST: IpRange = ipRange(IPV6_GLOBAL_UNICAST);

/** Why `address` is not public (the kind of its range), or undefined when it is. */
export const nonPublicKindOf = (address: IpAddress): string | undefined => {
  if (address.version === 4) return IPV4_RANGES.find(({ range }) => rangeContains(range, address))?.kind;
  const carrier = IPV6_WITH_IPV4.find(({ range }) => rangeContains(range, address));
  if (carrier !== undefined) return nonPublicKindOf(embeddedIpv4(address, carrier.offset));
  const named = IPV6_RANGES.find(({ range }) => rangeContains(range, address))?.kind;
  return named ?? (rangeContains(GLOBAL_UNICAST, address) ? undefined : 'reserved (not global unicast)');
};

/**
 * Why the address in `text` (as a resolver gives it: dotted IPv4 or IPv6
 * text) may not be called back, or undefined when it is public. Text that
 * is not an address in a standard form is refused.
 */
export const addressRefusal = (text: string): string | undefined => {
  const address = parseIpAddress(text);
  if (address === undefined) return 'the address is not in a standard form';
  const kind = nonPublicKindOf(address);
  return kind === undefined ? undefined : `the address is not public (${kind})`;
};

/** A last label a URL parser or a resolver may read as a number (decimal, octal or hex IPv4 parts). */
const NUMERIC_LABEL = /^(0x[0-9a-f]*|[0-9]+)$/i;

/**
 * Why the platform may not call `hostname` back, or undefined when it may.
 * `hostname` is a URL's (WHATWG): lower-case, IDNA-encoded, an IPv6 address
 * in brackets, an IPv4 one in dotted decimal whatever form it was written in.
 * Refused: an address that is not public (private, loopback, link-local,
 * CGNAT, unique-local, multicast, unspecified, documentation, reserved; an
 * IPv4 address inside IPv6 judged as IPv4), `localhost` and the names under
 * it (and `.local`, `.internal`, `.home.arpa`), single-label names, and
 * numbers in any other form.
 */
export const callbackHostRefusal = (hostname: string): string | undefined => {
  if (hostname.startsWith('[') && hostname.endsWith(']')) {
    const address = parseIpAddress(hostname.slice(1, -1));
    if (address === undefined || address.version !== 6) return 'the host is not an address in a standard form';
    const kind = nonPublicKindOf(address);
    return kind === undefined ? undefined : `the host's address is not public (${kind})`;
  }
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  const labels = name.toLowerCase().split('.');
  if (NUMERIC_LABEL.test(labels[labels.length - 1] ?? '')) {
    const address = parseIpv4(name);
    if (address === undefined) return 'the host is not an address in a standard form';
    const kind = nonPublicKindOf(address);
    return kind === undefined ? undefined : `the host's address is not public (${kind})`;
  }
  if (labels.some((label) => label === '')) return 'the host is not a name in a standard form';
  const reserved = NON_PUBLIC_HOST_NAMES.find(
    (reservedName) => name.toLowerCase() === reservedName || name.toLowerCase().endsWith(`.${reservedName}`),
  );
  if (reserved !== undefined) return `the host is not public (${reserved} or a name under it)`;
  if (labels.length < 2) return 'the host is a single-label name (not public)';
  return undefined;
};
