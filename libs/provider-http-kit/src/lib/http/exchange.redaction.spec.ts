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
    expect(redacted).toBe('to ***567, ***567, 0***567, 0917-1234567? id***567x and 1.0***567');
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
      outcome: { _tag: 'NoAnswer', reason: 'no answer within 1000 ms' },
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
