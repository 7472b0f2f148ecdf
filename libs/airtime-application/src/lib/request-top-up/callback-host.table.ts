// Where a caller's callback must never go: the address ranges that are not
// public (IANA special-purpose registries, RFC 6890 and its updates) and the
// names that never leave a machine or a site. A callback URL is posted to by
// the platform, from inside its network: one aimed at these would reach the
// platform's own services (metrics, the broker's management API, a cloud's
// metadata endpoint) instead of the caller.

/** IPv4 ranges that are not public, each with the kind named in a refusal. */
export const NON_PUBLIC_IPV4_RANGES: readonly (readonly [cidr: string, kind: string])[] = [
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (carrier-grade NAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved (IETF protocol assignments)'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved (6to4 relay anycast)'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved (benchmarking)'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved (including broadcast)'],
];

/**
 * IPv6 addresses that carry an IPv4 one, judged by it: IPv4-mapped (what a
 * dual-stack socket connects to), NAT64's well-known prefix and 6to4; each
 * with the offset of the IPv4 address in its 16 bytes.
 */
export const IPV6_RANGES_WITH_IPV4: readonly (readonly [cidr: string, ipv4Offset: number])[] = [
  ['::ffff:0:0/96', 12],
  ['64:ff9b::/96', 12],
  ['2002::/16', 2],
];

/** Global unicast: an IPv6 address outside it is never public. */
export const IPV6_GLOBAL_UNICAST = '2000::/3';

/** IPv6 ranges that are not public, inside global unicast or named for a clearer refusal. */
export const NON_PUBLIC_IPV6_RANGES: readonly (readonly [cidr: string, kind: string])[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['100::/64', 'reserved (discard)'],
  ['64:ff9b:1::/48', 'private (local-use NAT64)'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['ff00::/8', 'multicast'],
  ['2001::/23', 'reserved (IETF protocol assignments, Teredo)'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'reserved (SRv6)'],
];

/** Names that never leave a machine or a site: the name itself, and every name under it. */
export const NON_PUBLIC_HOST_NAMES: readonly string[] = ['localhost', 'local', 'internal', 'home.arpa'];
