// Hostile provider answers for the leak tests of every adapter: the configured secrets (as they are, JSON-escaped,
// URL- and form-encoded, in base64, in a Basic auth value), the destination number (E.164, digits only, national,
// grouped with spaces, dashes, dots and parentheses) and a canary are planted in every field of realistic answers,
// in error bodies, HTML error pages, wrong types, redirects, rate-limit headers and huge bodies.
import type { PhoneNumber } from '@airtime/domain';
import fc from 'fast-check';
import type { TransferLogRecord } from '../lib/http/exchange.redaction';
import type { FakeReply } from './http-server.fake';

/** The values a hostile answer plants. */
export interface PlantedValues {
  /** The configured secrets (API key, secret, token). */
  readonly secrets: readonly string[];
  /** The destination of the send. */
  readonly phone: PhoneNumber;
  /** A value of no meaning: reasons never quote the answer, so it never comes back in one either. */
  readonly canary: string;
}

/**
 * A secret as a provider would issue it: 16 to 40 characters of letters,
 * digits, `_` and `-`; half of them also with characters that JSON escapes
 * or URL encoding changes (`"`, `/`, `\`, `+`, `=`, `&`, `%`, `<`, ...).
 */
export const secretArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{15,39}$/),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_\-"/\\+=&%<>.~!*'()]{14,38}[A-Za-z0-9]$/),
);

/** The canary every leak test plants. */
export const CANARY = 'zq-canary-7f3';

/** `digits` in groups of the given sizes (the last group takes the rest), joined by `separator`. */
const grouped = (digits: string, sizes: readonly number[], separator: string): string => {
  const groups: string[] = [];
  let rest = digits;
  for (const size of sizes) {
    if (rest.length <= size) break;
    groups.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  return [...groups, rest].join(separator);
};

/**
 * The written forms of a number, in this order: E.164 (`+639171234567`),
 * digits only (`639171234567`), national (`09171234567`: the trunk prefix 0,
 * as in the countries of the adapters' tests), international spaced
 * (`+63 917 123 4567`), national dashed (`0917-123-4567`), with the area code
 * in parentheses (`(0917) 123 4567`), dotted (`0917.123.4567`) and the
 * national significant number in pairs (`91 71 23 45 67`).
 */
export const phoneNumberForms = (phone: PhoneNumber): readonly string[] => {
  const subscriber = phone.e164.slice(1 + phone.callingCode.length);
  const national = `0${subscriber}`;
  return [
    phone.e164,
    phone.e164.slice(1),
    national,
    `+${phone.callingCode} ${grouped(subscriber, [3, 3], ' ')}`,
    grouped(national, [4, 3], '-'),
    `(${national.slice(0, 4)}) ${grouped(national.slice(4), [3], ' ')}`,
    grouped(national, [4, 3], '.'),
    grouped(subscriber, [2, 2, 2, 2, 2, 2], ' '),
  ];
};

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const unicodeEscaped = (text: string): string =>
  text.replace(/[^A-Za-z0-9]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * The encoded forms of a secret, in this order: JSON-escaped (with `\/`),
 * JSON-escaped as `\u00xx`, URL-encoded, form-encoded and in base64.
 */
export const secretForms = (secret: string): readonly string[] => [
  JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
  unicodeEscaped(secret),
  encodeURIComponent(secret),
  new URLSearchParams({ s: secret }).toString().slice(2),
  base64(secret),
];

/** A Basic auth value of the secrets: `key:secret`, or `user:key` when there is only one. */
const basicCredentials = (secrets: readonly string[]): string => {
  const [first = '', second] = secrets;
  return base64(second === undefined ? `leak-test:${first}` : `${first}:${second}`);
};

/** What must never appear in a transfer-log record: the secrets in any encoding and the number in any form. */
export const forbiddenInRecords = (planted: PlantedValues): readonly string[] => [
  ...new Set([
    ...planted.secrets,
    ...planted.secrets.flatMap(secretForms),
    basicCredentials(planted.secrets),
    ...phoneNumberForms(planted.phone),
  ]),
];

/** What must never appear in an error (message, reason, code): the above and the canary. */
export const forbiddenInErrors = (planted: PlantedValues): readonly string[] => [
  ...forbiddenInRecords(planted),
  planted.canary,
];

const textOf = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)) ?? String(value);

/** Every string in `value` as it is (JSON text would escape an escaped secret once more, hiding it). */
const stringsIn = (value: unknown, seen: Set<object> = new Set()): readonly string[] => {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  return [
    ...(value instanceof Error ? [value.message] : []),
    ...Object.values(value).flatMap((item: unknown) => stringsIn(item, seen)),
  ];
};

/** The texts to search: the JSON text of `value` and each of its strings. */
const textsOf = (values: readonly unknown[]): readonly string[] => [
  textOf(values),
  ...values.flatMap((value) => stringsIn(value)),
];

/**
 * The planted values found where they must not be: in `errors` (their
 * message and every field) and in `records`. Empty when nothing leaked.
 */
export const leaksOf = (
  planted: PlantedValues,
  errors: readonly unknown[],
  records: readonly TransferLogRecord[],
): readonly string[] => {
  const errorTexts = textsOf(errors);
  const recordTexts = textsOf(records);
  return [
    ...forbiddenInErrors(planted)
      .filter((value) => errorTexts.some((text) => text.includes(value)))
      .map((value) => `error: ${value}`),
    ...forbiddenInRecords(planted)
      .filter((value) => recordTexts.some((text) => text.includes(value)))
      .map((value) => `record: ${value}`),
  ];
};

/**
 * Where a planted value goes, in templates and in generated answers: the
 * arbitraries are built once, and `plantReply` puts each case's values in.
 */
export const PLANTED = {
  /** The first configured secret (the API key, the token). */
  secret: '@@SECRET0@@',
  /** The second configured secret (DVS's API secret); the first when there is one. */
  otherSecret: '@@SECRET1@@',
  /** The first secret JSON-escaped (`\"`, `\/`), then escaped as `\u00xx`. */
  secretJson: '@@SECRETJSON@@',
  secretUnicode: '@@SECRETUNICODE@@',
  /** The first secret URL-encoded (`encodeURIComponent`), then form-encoded. */
  secretUrl: '@@SECRETURL@@',
  secretForm: '@@SECRETFORM@@',
  /** The first secret in base64, then base64 of `key:secret` (`user:key` when there is one secret). */
  secretBase64: '@@SECRETBASE64@@',
  basicAuth: '@@BASICAUTH@@',
  e164: '@@E164@@',
  digits: '@@DIGITS@@',
  national: '@@NATIONAL@@',
  /** The number grouped: `+63 917 123 4567`, `0917-123-4567`, `(0917) 123 4567`, `0917.123.4567`, `91 71 23 45 67`. */
  spaced: '@@SPACED@@',
  dashed: '@@DASHED@@',
  parenthesized: '@@PARENTHESIZED@@',
  dotted: '@@DOTTED@@',
  pairs: '@@PAIRS@@',
  canary: '@@CANARY@@',
} as const;

/** Written as a JSON string, it becomes the number's digits as a bare JSON number. */
const DIGITS_AS_NUMBER = '@@DIGITS_NUMBER@@';

const PLACES: readonly string[] = Object.values(PLANTED);

/** `text` with every placeholder of `PLANTED` replaced by this case's value. */
export const plantText = (text: string, planted: PlantedValues): string => {
  const [e164 = '', digits = '', national = '', spaced = '', dashed = '', parenthesized = '', dotted = '', pairs = ''] =
    phoneNumberForms(planted.phone);
  const [first = '', second = first] = planted.secrets;
  const [secretJson = '', secretUnicode = '', secretUrl = '', secretForm = '', secretBase64 = ''] = secretForms(first);
  const values: Readonly<Record<string, string>> = {
    [PLANTED.secret]: first,
    [PLANTED.otherSecret]: second,
    [PLANTED.secretJson]: secretJson,
    [PLANTED.secretUnicode]: secretUnicode,
    [PLANTED.secretUrl]: secretUrl,
    [PLANTED.secretForm]: secretForm,
    [PLANTED.secretBase64]: secretBase64,
    [PLANTED.basicAuth]: basicCredentials(planted.secrets),
    [PLANTED.e164]: e164,
    [PLANTED.digits]: digits,
    [PLANTED.national]: national,
    [PLANTED.spaced]: spaced,
    [PLANTED.dashed]: dashed,
    [PLANTED.parenthesized]: parenthesized,
    [PLANTED.dotted]: dotted,
    [PLANTED.pairs]: pairs,
    [PLANTED.canary]: planted.canary,
  };
  return text
    .split(`"${DIGITS_AS_NUMBER}"`)
    .join(digits)
    .split(DIGITS_AS_NUMBER)
    .join(digits)
    .replace(/@@[A-Z0-9]+@@/g, (place) => values[place] ?? place);
};

/** A generated answer with this case's planted values in it. */
export const plantReply = (reply: FakeReply, planted: PlantedValues): FakeReply => ({
  ...reply,
  body: plantText(reply.body, planted),
  ...(reply.headers === undefined
    ? {}
    : {
        headers: Object.fromEntries(
          Object.entries(reply.headers).map(([name, value]) => [name, plantText(value, planted)]),
        ),
      }),
});

const placeArbitrary = fc.constantFrom(...PLACES);

/** One planted value, alone, inside text, or as a JSON number. */
const plantedLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: placeArbitrary },
  {
    weight: 3,
    arbitrary: fc
      .tuple(placeArbitrary, placeArbitrary, fc.stringMatching(/^[ -~]{0,6}$/))
      .map(([first, second, tail]) => `bad key ${first} / ${second}${tail.replace(/@/g, '')}`),
  },
  { weight: 1, arbitrary: fc.tuple(placeArbitrary, placeArbitrary).map(([first, second]) => `${first}${second}`) },
  { weight: 1, arbitrary: fc.constant(DIGITS_AS_NUMBER) },
);

/** A value of the wrong type or shape. */
const wrongLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 12 }).map((text) => text.replace(/@/g, '')),
  fc.constant([]),
  fc.constant({}),
  fc.constantFrom(-100, 0, 1e15, 99.995, '1e15', 'KES -1.00', 'None', ''),
);

/**
 * `template` (a realistic answer, placeholders of `PLANTED` allowed) with its
 * leaves replaced, at random, by planted values or wrong types, fields
 * dropped, and planted fields added.
 */
export const hostileJsonArbitrary = (template: unknown, depth = 0): fc.Arbitrary<unknown> => {
  const leaf = fc.oneof(
    { weight: 2, arbitrary: fc.constant(template) },
    { weight: 3, arbitrary: plantedLeaf },
    { weight: 1, arbitrary: wrongLeaf },
  );
  if (depth > 6) return leaf;
  if (Array.isArray(template)) {
    const items: readonly unknown[] = template.length === 0 ? [{ x: 1 }] : template;
    return fc.oneof(
      { weight: 4, arbitrary: fc.tuple(...items.map((item) => hostileJsonArbitrary(item, depth + 1))) },
      { weight: 1, arbitrary: fc.array(hostileJsonArbitrary(items[0], depth + 1), { maxLength: 3 }) },
      { weight: 1, arbitrary: leaf },
    );
  }
  if (typeof template === 'object' && template !== null) {
    const field = ([name, value]: [string, unknown]): fc.Arbitrary<readonly (readonly [string, unknown])[]> =>
      fc.oneof(
        { weight: 5, arbitrary: hostileJsonArbitrary(value, depth + 1).map((item) => [[name, item] as const]) },
        { weight: 1, arbitrary: fc.constant([]) },
      );
    const extra = fc.array(
      fc.tuple(fc.oneof(placeArbitrary, fc.constantFrom('message', 'detail', 'error')), plantedLeaf),
      { maxLength: 2 },
    );
    return fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(fc.tuple(...Object.entries(template).map(field)), extra)
          .map(([fields, added]) => Object.fromEntries([...fields.flat(), ...added])),
      },
      { weight: 1, arbitrary: leaf },
    );
  }
  return leaf;
};

/** Statuses, 2xx most often (so that decoding and mapping are reached), then refusals and server errors. */
const statusArbitrary: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(200, 201, 202, 204) },
  { weight: 2, arbitrary: fc.constantFrom(301, 302, 303, 307, 308) },
  { weight: 6, arbitrary: fc.constantFrom(400, 401, 403, 404, 408, 409, 422) },
  { weight: 1, arbitrary: fc.constant(429) },
  { weight: 3, arbitrary: fc.constantFrom(500, 502, 503, 504) },
);

/** The paths to the leaves of a JSON value. */
const leafPaths = (value: unknown, path: readonly (string | number)[] = []): (readonly (string | number)[])[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([key, item]) =>
        leafPaths(item, [...path, Array.isArray(value) ? Number(key) : key]),
      )
    : [path];

const withLeaf = (value: unknown, path: readonly (string | number)[], leaf: unknown): unknown => {
  const [head, ...rest] = path;
  if (head === undefined || typeof value !== 'object' || value === null) return leaf;
  if (Array.isArray(value))
    return value.map((item: unknown, index) => (index === head ? withLeaf(item, rest, leaf) : item));
  return { ...value, [head]: withLeaf((value as Record<string, unknown>)[String(head)], rest, leaf) };
};

/** `template` with exactly one leaf replaced by a planted value or a wrong type: an answer that almost holds. */
export const oneLeafArbitrary = (template: unknown): fc.Arbitrary<unknown> => {
  const paths = leafPaths(template);
  return paths.length === 0
    ? fc.constant(template)
    : fc
        .tuple(
          fc.constantFrom(...paths),
          fc.oneof({ weight: 3, arbitrary: plantedLeaf }, { weight: 1, arbitrary: wrongLeaf }),
        )
        .map(([path, leaf]) => withLeaf(template, path, leaf));
};

/** The most a huge body is (a little over the 4 MiB the transport reads). */
const HUGE_BODY_CHARACTERS = 4 * 1024 * 1024 + 64 * 1024;

/** A body: hostile JSON of a template, an HTML error page, plain text, nothing, or a huge body. */
export const hostileBodyArbitrary = (templates: readonly unknown[]): fc.Arbitrary<string> => {
  const json = fc.oneof(
    ...templates.flatMap((template) => [
      { weight: 4, arbitrary: hostileJsonArbitrary(template) },
      { weight: 3, arbitrary: oneLeafArbitrary(template) },
      { weight: 1, arbitrary: fc.constant(template) },
    ]),
  );
  return fc.oneof(
    { weight: 30, arbitrary: json.map((body) => JSON.stringify(body) ?? 'null') },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(500, 502, 503), placeArbitrary, placeArbitrary)
        .map(
          ([status, first, second]) =>
            `<html><head><title>${status}</title></head><body><h1>Error</h1><p>for ${first}: ${second}</p></body></html>`,
        ),
    },
    { weight: 2, arbitrary: fc.tuple(placeArbitrary, placeArbitrary).map(([first, second]) => `${first} ${second}`) },
    { weight: 2, arbitrary: fc.constant('') },
    {
      weight: 1,
      arbitrary: fc.tuple(json, fc.constantFrom(64 * 1024, 1024 * 1024, HUGE_BODY_CHARACTERS)).map(([body, size]) => {
        const unit = `${JSON.stringify(body)} `;
        return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
      }),
    },
  );
};

/** Rate-limit, redirect and other headers, some of them planted. */
const hostileHeadersArbitrary: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'Retry-After': fc.oneof(
        fc.constantFrom('0', '1', '99999999999', 'Fri, 31 Dec 9999 23:59:59 GMT', 'soon', '-1'),
        placeArbitrary,
      ),
      Location: placeArbitrary.map((place) => `https://elsewhere.test/${place}`),
      'X-RateLimit-Remaining': fc.constantFrom('0', '5'),
      'X-RateLimit-Reset': fc.oneof(fc.constantFrom('0', '1', '99999999999999'), placeArbitrary),
      'Content-Type': fc.constantFrom('application/json', 'text/html', 'text/plain'),
      'X-Debug': placeArbitrary,
    },
    { requiredKeys: [] },
  )
  .map((headers) => ({ ...headers }));

/**
 * A hostile answer to serve, with placeholders (see `PLANTED` and
 * `plantReply`): any status (2xx, redirects, 4xx, 429, 5xx), planted headers
 * and a hostile body made from `templates` (the provider's realistic
 * answers); sometimes a dropped connection. Build it once per test file.
 */
export const hostileReplyArbitrary = (templates: readonly unknown[]): fc.Arbitrary<FakeReply> =>
  fc.oneof(
    {
      weight: 30,
      arbitrary: fc.record({
        status: statusArbitrary,
        body: hostileBodyArbitrary(templates),
        headers: hostileHeadersArbitrary,
      }),
    },
    { weight: 1, arbitrary: fc.constant({ status: 200, body: '', hangUp: true }) },
  );
