import { DVS_ERROR_CODES, dvsCodeImplies, dvsErrorCodeEntry, dvsErrorsOf, providerErrorOf } from './dvs-errors.table';

/** The "Error codes" table of reference/dtone-dvs-api-reference.txt: code and HTTP status. */
const REFERENCE_CODES: ReadonlyArray<readonly [number, number]> = [
  [1000400, 400],
  [1000401, 401],
  [1000404, 404],
  [1000429, 429],
  [1003001, 404],
  [1003002, 400],
  [1003003, 400],
  [1003101, 404],
  [1003201, 404],
  [1003301, 404],
  [1005003, 400],
  [1005004, 404],
  [1005005, 404],
  [1005006, 404],
  [1005503, 400],
  [1006001, 400],
  [1006003, 400],
  [1006009, 404],
  [1006503, 400],
  [1007001, 400],
  [1007002, 400],
  [1007004, 400],
  [1007005, 400],
  [1007007, 400],
  [1007500, 400],
  [1008004, 404],
  [1009001, 500],
  [1009503, 503],
];

const errorFor = (code: number, httpStatus: number, kind: 'read' | 'send' = 'read') =>
  providerErrorOf([{ code: String(code), message: `message of ${code}` }], {
    kind,
    httpStatus,
    retryAfterMs: 1_000,
    externalId: 'ext-1',
  });

describe('DVS error codes', () => {
  it('has an entry for every code of the reference, with its HTTP status, and nothing else', () => {
    expect(Object.keys(DVS_ERROR_CODES).map(Number).sort()).toEqual(REFERENCE_CODES.map(([code]) => code).sort());
    for (const [code, httpStatus] of REFERENCE_CODES) {
      expect(dvsErrorCodeEntry(code)?.httpStatus).toBe(httpStatus);
      expect(dvsErrorCodeEntry(String(code))?.code).toBe(code);
    }
  });

  it('maps every code of the reference to a typed domain error on a read', () => {
    for (const [code, httpStatus] of REFERENCE_CODES) {
      const error = errorFor(code, httpStatus);
      const entry = DVS_ERROR_CODES[code];
      const expectedTag = {
        rejected: 'ProviderRejected',
        unavailable: 'ProviderUnavailable',
        'rate-limited': 'ProviderRateLimited',
        'external-id-already-used': 'ExternalIdAlreadyUsed',
      }[entry?.outcome ?? 'rejected'];
      expect({ code, tag: error._tag }).toEqual({ code, tag: expectedTag });
      expect({ code, retryable: error.retryable }).toEqual({ code, retryable: entry?.retryable });
    }
  });

  it('1005003 (invalid credit party) is a final refusal that suggests a fresh operator lookup', () => {
    expect(errorFor(1005003, 400, 'send')).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: '1005003',
      retryable: false,
      suggestsOperatorLookup: true,
    });
    expect(errorFor(1005006, 404)).not.toHaveProperty('suggestsOperatorLookup');
  });

  it('1006001 (insufficient balance) is a refusal that a later attempt may overcome', () => {
    expect(errorFor(1006001, 400, 'send')).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: '1006001',
      retryable: true,
    });
  });

  it('1007001 is "external id already used", naming the external id of the request', () => {
    expect(errorFor(1007001, 400, 'send')).toMatchObject({
      _tag: 'ExternalIdAlreadyUsed',
      providerExternalId: 'ext-1',
      retryable: false,
    });
  });

  it('1009503 and 1009001 are retryable unavailability (the transport reads a 5xx after a send as unknown first)', () => {
    expect(errorFor(1009503, 503)).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
    expect(errorFor(1009001, 500)).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
  });

  it('says what each code implies, so that no caller keeps a code of its own (1003001: a stale catalogue)', () => {
    const implying = Object.values(DVS_ERROR_CODES)
      .filter((entry) => entry.implies.length > 0)
      .map((entry) => [entry.code, entry.implies]);
    expect(implying).toEqual([
      [1003001, ['stale-product-catalogue']],
      [1005003, ['fresh-operator-lookup']],
    ]);
    expect(dvsCodeImplies('1003001', 'stale-product-catalogue')).toBe(true);
    expect(dvsCodeImplies(1003001, 'fresh-operator-lookup')).toBe(false);
    expect(dvsCodeImplies('HTTP_404', 'stale-product-catalogue')).toBe(false);
    expect(dvsCodeImplies('constructor', 'stale-product-catalogue')).toBe(false);
  });

  it('429 carries the wait, for reads and writes alike (nothing was done)', () => {
    expect(errorFor(1000429, 429, 'send')).toMatchObject({ _tag: 'ProviderRateLimited', retryAfterMs: 1_000 });
    expect(providerErrorOf([], { kind: 'read', httpStatus: 429, retryAfterMs: 2_000 })).toMatchObject({
      _tag: 'ProviderRateLimited',
      retryAfterMs: 2_000,
    });
  });

  it('falls back on the HTTP status for bodies without a known code', () => {
    expect(providerErrorOf([], { kind: 'read', httpStatus: 502, retryAfterMs: 0 })).toMatchObject({
      _tag: 'ProviderUnavailable',
    });
    expect(
      providerErrorOf([{ code: '9999999', message: 'new' }], { kind: 'read', httpStatus: 400, retryAfterMs: 0 }),
    ).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'HTTP_400',
      retryable: false,
    });
    expect(providerErrorOf([], { kind: 'read', httpStatus: 403, retryAfterMs: 0 })).toMatchObject({
      providerCode: 'HTTP_403',
    });
  });

  it.each([
    [1009001, 400],
    [1009503, 400],
    [1009001, 500],
    [1009503, 503],
  ])(
    'to a send, %s (HTTP %s) does not prove "not carried out": an unknown outcome, never unavailability',
    (code, status) => {
      expect(DVS_ERROR_CODES[code]?.provesNotCarriedOut).toBe(false);
      expect(errorFor(code, status, 'send')).toMatchObject({
        _tag: 'ProviderOutcomeUnknown',
        kind: 'UNPROVEN_REFUSAL',
        retryable: false,
      });
    },
  );

  it('to a send, a code the reference does not have is an unknown outcome; the other codes prove "not carried out"', () => {
    expect(
      providerErrorOf([{ code: '1099999', message: 'new' }], { kind: 'send', httpStatus: 400, retryAfterMs: 0 }),
    ).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind: 'UNPROVEN_REFUSAL' });
    for (const entry of Object.values(DVS_ERROR_CODES).filter((item) => item.provesNotCarriedOut))
      expect(errorFor(entry.code, entry.httpStatus, 'send')._tag).not.toBe('ProviderOutcomeUnknown');
  });

  it('prefers 1007001 among several errors, then the first known code', () => {
    const errors = [
      { code: '1000400', message: 'Bad Request' },
      { code: '1007001', message: 'Transaction external ID has already been used' },
    ];
    expect(providerErrorOf(errors, { kind: 'send', httpStatus: 400, retryAfterMs: 0 })._tag).toBe(
      'ExternalIdAlreadyUsed',
    );
    const rejected = providerErrorOf(
      [
        { code: 'x', message: 'odd' },
        { code: '1003002', message: 'out of range' },
      ],
      {
        kind: 'send',
        httpStatus: 400,
        retryAfterMs: 0,
      },
    );
    expect(rejected).toMatchObject({ providerCode: '1003002' });
    expect(rejected.message).toContain('out of range');
  });

  it('reads DVS error bodies, tolerating extra fields and numeric or string codes', () => {
    expect(
      dvsErrorsOf({
        errors: [{ code: 1005003, message: 'Credit party mobile number is invalid', trace: 'x' }],
        extra: 1,
      }),
    ).toEqual([{ code: '1005003', message: 'Credit party mobile number is invalid' }]);
    expect(dvsErrorsOf({ errors: [{ code: '1006001' }] })).toEqual([{ code: '1006001', message: '' }]);
    expect(dvsErrorsOf('<html>')).toEqual([]);
    expect(dvsErrorsOf(null)).toEqual([]);
  });

  it('never quotes DVS messages, which may echo the number, our key or our secret: codes and the reference only', () => {
    for (const httpStatus of [400, 500]) {
      const error = providerErrorOf(
        [
          { code: '1005003', message: 'bad key the-api-key / the-api-secret for 639171234567 and 09171234567' },
          { code: '639171234567', message: '+639171234567' },
        ],
        { kind: 'send', httpStatus, retryAfterMs: 0 },
      );
      expect(error).toMatchObject({ providerCode: '1005003' });
      expect(error.message).toContain('DVS 1005003 (Credit party mobile number is invalid)');
      expect(error.message).toContain('an unrecognised error code');
      expect(error.message).not.toMatch(/the-api-key|the-api-secret|9171234567/);
    }
  });

  it('names an unknown code by its code only when it has the shape of a DVS code', () => {
    expect(
      providerErrorOf([{ code: 'the-api-secret', message: '' }], { kind: 'read', httpStatus: 400, retryAfterMs: 0 }),
    ).toMatchObject({ providerCode: 'HTTP_400', reason: 'HTTP 400: an unrecognised error code' });
    expect(
      providerErrorOf([{ code: '1099999', message: 'new' }], { kind: 'read', httpStatus: 400, retryAfterMs: 0 }),
    ).toMatchObject({ providerCode: '1099999', reason: 'HTTP 400: DVS 1099999 (not in the reference)' });
  });
});
