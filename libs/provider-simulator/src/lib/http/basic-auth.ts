import { createHash, timingSafeEqual } from 'node:crypto';

/** HTTP Basic credentials: the API key as user name, the secret as password. */
export interface ApiCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The API key of a request whose Basic credentials match, compared in constant time; undefined otherwise. */
export const authenticate = (authorization: string | undefined, expected: ApiCredentials): string | undefined => {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  const key = decoded.slice(0, separator);
  const secret = decoded.slice(separator + 1);
  const keyOk = timingSafeEqual(digest(key), digest(expected.apiKey));
  const secretOk = timingSafeEqual(digest(secret), digest(expected.apiSecret));
  return keyOk && secretOk ? key : undefined;
};
