import { parsePhoneNumber } from '@airtime/domain';
import { Either } from 'effect';
import { maskPhoneNumbers, REDACTED, redactExchange, redactText, redactUrl } from './exchange.redaction';
import type { HttpExchange } from './http-exchange.client';

const PH = Either.getOrThrow(parsePhoneNumber('+639171234567'));
const STARTED_AT_MS = Date.parse('2026-11-02T10:00:00Z');

describe('redaction', () => {
  it('masks phone numbers, with or without "+" or its URL encoding, keeping the last three digits', () => {
    expect(maskPhoneNumbers('{"phoneNumber":"+254711000111","to":"639171234567","q":"n=%2B6595123100"}')).toBe(
      '{"phoneNumber":"***111","to":"***567","q":"n=***100"}',
    );
  });

  it('masks a number wherever it stands: glued to words, at the end of a sentence, inside a longer number', () => {
    expect(maskPhoneNumbers('bad number639171234567. x09171234567y 1639171234567999')).toBe(
      'bad number***567. x***567y ***999',
    );
  });

  it('keeps a JSON body JSON: a bare number it masks becomes a string', () => {
    const body = '{"id":1000004,"ids":[ 639171234567 , 12],"price":{"amount":12345678.5},"n":"0917 123 4567"}';
    const masked = maskPhoneNumbers(body);
    expect(masked).toBe('{"id":"***004","ids":[ "***567" , 12],"price":{"amount":"***678.5"},"n":"***567"}');
    expect(() => JSON.parse(masked) as unknown).not.toThrow();
    expect(maskPhoneNumbers('id 1000004, then')).toBe('id ***004, then');
  });

  it('leaves amounts, AT request ids, decimal fractions and timestamps readable', () => {
    const text =
      '"amount":"KES 1000000.0000","requestId":"ATQid_1be914ac47845eef1a1dab5d89ec50ff","createdDate":"2021-04-16T18:53:44.979304527Z","price":0.55,"rate":54.05405405';
    expect(maskPhoneNumbers(text)).toBe(text);
  });

  it('removes secrets wherever they appear, of any length', () => {
    expect(redactText('key atsk_123456 echoed: xatsk_123456y, k', { secrets: ['atsk_123456', 'k'] })).toBe(
      `${REDACTED}ey ${REDACTED} echoed: x${REDACTED}y, ${REDACTED}`,
    );
    expect(redactText('bad key K3y-1 / S3cr3t-2', { secrets: ['K3y-1', 'S3cr3t-2'] })).toBe(
      `bad key ${REDACTED} / ${REDACTED}`,
    );
  });

  it('removes the destination number in E.164, digits-only and national form, even inside other text', () => {
    const text = 'to +639171234567, 639171234567, 09171234567, 0917-1234567? id9171234567x and 1.09171234567';
    const redacted = redactText(text, { secrets: [], destination: PH });
    expect(redacted).not.toMatch(/9171234567/);
    expect(redacted).toBe('to ***567, ***567, ***567, ***567? id***567x and 1.***567');
  });

  it.each([
    ['+63 917 123 4567', 'international, spaced'],
    ['0917-123-4567', 'national, dashed'],
    ['(0917) 123 4567', 'national, area code in parentheses'],
    ['0917.123.4567', 'national, dotted'],
    ['+63 (917) 123-4567', 'international, mixed'],
    ['0063 917 123 4567', 'international with 00'],
    ['91 71 23 45 67', 'national significant number in pairs'],
    ['%2B63%20917%20123%204567', 'URL-encoded'],
    ['+63+917+123+4567', 'form-encoded'],
  ])('removes the destination written as %s (%s)', (written) => {
    const redacted = redactText(`{"to":"${written}","note":"for ${written}."}`, { secrets: [], destination: PH });
    expect(redacted).toBe('{"to":"***567","note":"for ***567."}');
  });

  it.each([
    ['+63 917 123 4567', '***567'],
    ['0917-123-4567', '***567'],
    ['(0917) 123 4567', '***567'],
    ['0917.123.4567', '***567'],
    ['0711 000 111', '***111'],
    ['+254 711 000 111', '***111'],
    ['%2B254%20711%20000%20111', '***111'],
    ['(02) 1234 567', '***567'],
    ['2021-04-16 0711 000 111', '2021-04-16 ***111'],
  ])('masks %s, a number of 7 digits or more written with separators, whatever the destination', (written, masked) => {
    expect(redactText(`call ${written}, now`, { secrets: [] })).toBe(`call ${masked}, now`);
    expect(maskPhoneNumbers(`"${written}"`)).toBe(`"${masked}"`);
  });

  it('leaves dates, versions, short numbers and amounts with separators readable', () => {
    const text =
      'on 2021-04-16 18:53:44 or 16.04.2021, v1.2.3, code 1234-56, KES 1000000.0000, 0.12345678, 1 2 3, 12:30:45.123456789';
    expect(maskPhoneNumbers(text)).toBe(text);
  });

  describe('a secret in any encoding', () => {
    const SECRET = 'k3y/with"quote+and=&more<>%';
    const KEY = 'Key-0123456789abcdef';
    const scope = { secrets: [KEY, SECRET] };
    const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    const unicodeEscaped = (text: string) =>
      text.replace(/[^A-Za-z0-9]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);

    it.each([
      ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
      ['JSON-escaped with "\\/"', JSON.stringify(SECRET).slice(1, -1).replace(/\//g, '\\/')],
      ['JSON-escaped as \\u00xx', unicodeEscaped(SECRET)],
      [
        'JSON-escaped as \\u00XX',
        unicodeEscaped(SECRET).replace(/u00[0-9a-f]{2}/g, (escape) => escape.toUpperCase().replace('U', 'u')),
      ],
      ['URL-encoded (encodeURIComponent)', encodeURIComponent(SECRET)],
      ['URL-encoded (lower-case hex)', encodeURIComponent(SECRET).toLowerCase()],
      ['form-encoded', new URLSearchParams({ s: SECRET }).toString().slice(2)],
      ['in base64', base64(SECRET)],
      ['in base64 without padding', base64(SECRET).replace(/=+$/, '')],
      ['in URL-safe base64', base64(SECRET).replace(/\+/g, '-').replace(/\//g, '_')],
      ['in base64 of "key:secret"', base64(`${KEY}:${SECRET}`)],
      ['in a Basic auth header', `Basic ${base64(`${KEY}:${SECRET}`)}`],
      ['in base64 of "user:secret"', base64(`leak-test:${SECRET}`)],
      ['in base64 of "secret:"', base64(`${SECRET}:x`)],
      ['in base64, JSON-escaped', JSON.stringify(base64(`${KEY}:${SECRET}`)).replace(/\//g, '\\/')],
      ['in base64, URL-encoded', encodeURIComponent(base64(`${KEY}:${SECRET}`))],
    ])('removes it %s', (_how, encoded) => {
      const redacted = redactText(`{"echo":"${encoded}","after":1}`, scope);
      expect(redacted).toContain(REDACTED);
      expect(redacted).not.toContain(encoded);
      expect(redacted).toMatch(/"after":1}$/);
    });

    it('removes a secret with a space URL-encoded as "%20" and form-encoded as "+"', () => {
      expect(redactText('a=open%20sesame-12&b=open+sesame-12', { secrets: ['open sesame-12'] })).toBe(
        `a=${REDACTED}&b=${REDACTED}`,
      );
    });

    it('removes a non-ASCII secret, percent-encoded as UTF-8 or JSON-escaped', () => {
      const secret = 'päss€word-1234';
      expect(redactText(`${encodeURIComponent(secret)} p\\u00e4ss\\u20ACword-1234`, { secrets: [secret] })).toBe(
        `${REDACTED} ${REDACTED}`,
      );
    });

    it('leaves text that only resembles the base64 of a short secret', () => {
      expect(redactText('aw== awk', { secrets: ['k'] })).toBe('aw== aw[REDACTED]');
    });
  });

  it('replaces names, e-mails, account numbers, PIN codes and callback URLs, and masks phone fields whatever their format', () => {
    const body = JSON.stringify({
      external_id: 'e1',
      credit_party_identifier: { mobile_number: '+65 9512 3100', account_number: 12345 },
      sender: { first_name: 'Ana', last_name: 'Cruz', email: 'ana@example.com', nationality_country_iso_code: 'PHL' },
      pin: { code: '1234-5678', serial: 'S1' },
      callback_url: 'https://api.example.com/callbacks/dtone/unguessable-token',
    });
    expect(JSON.parse(redactText(body, { secrets: [] }))).toEqual({
      external_id: 'e1',
      credit_party_identifier: { mobile_number: '***100', account_number: REDACTED },
      sender: { first_name: REDACTED, last_name: REDACTED, email: REDACTED, nationality_country_iso_code: 'PHL' },
      pin: { code: REDACTED, serial: 'S1' },
      callback_url: REDACTED,
    });
  });

  it('strips credentials, secret and personal query values from URLs', () => {
    expect(
      redactUrl(
        'https://user:pw@api.example.com/x?apiKey=k1&username=app&credit_party_account_number=ACC-9&credit_party_mobile_number=%2B6595123100',
        { secrets: [] },
      ),
    ).toBe(
      'https://%5BREDACTED%5D:%5BREDACTED%5D@api.example.com/x?apiKey=%5BREDACTED%5D&username=app&credit_party_account_number=%5BREDACTED%5D&credit_party_mobile_number=***100',
    );
  });

  it('makes the transfer-log record of an answered exchange, without headers', () => {
    const exchange: HttpExchange = {
      request: {
        method: 'POST',
        url: 'https://api.africastalking.com/version1/airtime/send',
        headers: { apiKey: 'atsk_123456' },
        body: '{"recipients":[{"phoneNumber":"+254711000111","amount":"KES 100.0000"}]}',
        timeoutMs: 1_000,
        reference: 'topup-1',
      },
      outcome: {
        _tag: 'Answered',
        response: {
          status: 201,
          headers: new Headers({ 'Set-Cookie': 'atsk_123456' }),
          bodyText: '{"responses":[{"phoneNumber":"+254711000111"}],"echo":"atsk_123456"}',
        },
      },
      startedAtMs: STARTED_AT_MS,
      durationMs: 42,
    };
    const record = redactExchange('africastalking', exchange, { secrets: ['atsk_123456'] });
    expect(record).toEqual({
      provider: 'africastalking',
      reference: 'topup-1',
      method: 'POST',
      url: 'https://api.africastalking.com/version1/airtime/send',
      startedAt: '2026-11-02T10:00:00.000Z',
      durationMs: 42,
      status: 201,
      requestBody: '{"recipients":[{"phoneNumber":"***111","amount":"KES 100.0000"}]}',
      responseBody: `{"responses":[{"phoneNumber":"***111"}],"echo":"${REDACTED}"}`,
    });
    expect(JSON.stringify(record)).not.toContain('atsk_123456');
  });

  it('makes the transfer-log record of an unanswered exchange, and cuts long bodies after redacting them', () => {
    const exchange: HttpExchange = {
      request: {
        method: 'POST',
        url: 'https://api.engagespark.com/v1/organizations/4242/topup/',
        headers: { Authorization: 'Token es_pat_123456' },
        body: `{"phoneNumber":"639171234567","clientRef":"topup-1","pad":"${'x'.repeat(3_990)}es_pat_123456"}`,
        timeoutMs: 1_000,
        reference: 'topup-1',
      },
      outcome: { _tag: 'NoAnswer', kind: 'TIMEOUT', reason: 'no answer within 1000 ms' },
      startedAtMs: STARTED_AT_MS,
      durationMs: 1_000,
    };
    const record = redactExchange('engagespark', exchange, { secrets: ['es_pat_123456'], destination: PH });
    expect(record).toMatchObject({
      provider: 'engagespark',
      reference: 'topup-1',
      status: null,
      responseBody: null,
      failure: 'no answer within 1000 ms',
    });
    expect(record.requestBody).toHaveLength(4_000);
    expect(record.requestBody?.startsWith('{"phoneNumber":"***567","clientRef":"topup-1"')).toBe(true);
    expect(JSON.stringify(record)).not.toMatch(/es_pat_1|639171234567/);
  });
});
