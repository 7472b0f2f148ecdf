import { maskPhoneNumber, redactTransferLogEntry, type TransferLogEntry } from './transfer-log.redaction';

const entry: TransferLogEntry = {
  provider: 'dtone',
  startedAt: '2026-11-02T10:00:00.000Z',
  durationMs: 120,
  request: {
    method: 'POST',
    url: 'https://user:pw@preprod-dvs-api.dtone.com/v1/transactions?credit_party_mobile_number=%2B6595123100&credit_party_account_number=ACC-9&external_id=e1',
    headers: {
      authorization: 'Basic a2V5OnNlY3JldA==',
      'content-type': 'application/json',
      'x-debug': 'key=the-api-key',
    },
    body: {
      external_id: 'e1',
      credit_party_identifier: { mobile_number: '+6595123100', account_number: '12345' },
      sender: {
        first_name: 'Ana',
        last_name: 'Cruz',
        email: 'ana@example.com',
        mobile_number: '+639171234567',
        nationality_country_iso_code: 'PHL',
      },
      note: 'call +6595123100 or use the-api-secret',
    },
  },
  response: {
    status: 201,
    headers: { 'set-cookie': 'session=1', 'x-ratelimit-remaining': '9' },
    body: { id: 1, pin: { code: '1234-5678', serial: 'S1' }, beneficiary: { mobile_number: '+6595123100' } },
  },
  failure: 'timeout talking with the-api-secret',
};

describe('transfer log redaction', () => {
  const redacted = redactTransferLogEntry(entry, ['the-api-key', 'the-api-secret']);
  const text = JSON.stringify(redacted);

  it('drops the authorization header, cookies and user info, and masks the key and secret anywhere', () => {
    expect(redacted.request.headers).not.toHaveProperty('authorization');
    expect(redacted.response?.headers).not.toHaveProperty('set-cookie');
    expect(redacted.response?.headers['x-ratelimit-remaining']).toBe('9');
    expect(text).not.toMatch(/the-api-key|the-api-secret|a2V5OnNlY3JldA|user:pw/);
    expect(redacted.failure).toBe('timeout talking with ***');
  });

  it('masks phone numbers in bodies, URLs and free text, keeping the sandbox suffix', () => {
    expect(text).not.toMatch(/6595123100|639171234567/);
    expect(
      (redacted.request.body as { credit_party_identifier: { mobile_number: string } }).credit_party_identifier
        .mobile_number,
    ).toBe('+65*****100');
    expect(redacted.request.url).toContain('credit_party_mobile_number=%2B65*****100');
    expect(redacted.request.url).toContain('credit_party_account_number=***');
    expect((redacted.request.body as { note: string }).note).toBe('call +65*****100 or use ***');
  });

  it('replaces names, e-mails, account numbers and PIN codes, keeping the rest', () => {
    expect(redacted.request.body).toMatchObject({
      external_id: 'e1',
      credit_party_identifier: { account_number: '***' },
      sender: { first_name: '***', last_name: '***', email: '***', nationality_country_iso_code: 'PHL' },
    });
    expect(redacted.response?.body).toMatchObject({ id: 1, pin: { code: '***', serial: 'S1' } });
    expect(text).not.toMatch(/Ana|Cruz|ana@example|1234-5678|12345/);
  });

  it('leaves the original untouched', () => {
    expect(entry.request.headers['authorization']).toBe('Basic a2V5OnNlY3JldA==');
  });

  it('masks a number whatever its length', () => {
    expect(maskPhoneNumber('+254711000111')).toBe('+25*******111');
    expect(maskPhoneNumber('12345')).toBe('*****');
    expect(maskPhoneNumber('not a number')).toBe('***');
  });
});
