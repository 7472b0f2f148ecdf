import { maskPhoneNumbers, redactExchange, redactText, redactUrl } from './exchange.redaction';
import type { HttpExchange } from './http-exchange.client';

describe('redaction', () => {
  it('masks phone numbers, with or without "+", keeping the last three digits', () => {
    expect(maskPhoneNumbers('{"phoneNumber":"+254711000111","to":"639171234567"}')).toBe(
      '{"phoneNumber":"***111","to":"***567"}',
    );
  });

  it('leaves amounts, AT request ids and timestamps readable', () => {
    const text =
      '"amount":"KES 1000000.0000","requestId":"ATQid_1be914ac47845eef1a1dab5d89ec50ff","createdDate":"2021-04-16T18:53:44.979304527Z","price":0.55';
    expect(maskPhoneNumbers(text)).toBe(text);
  });

  it('removes secrets wherever they appear', () => {
    expect(redactText('key atsk_123456 echoed: atsk_123456', ['atsk_123456'])).toBe(
      'key [REDACTED] echoed: [REDACTED]',
    );
  });

  it('strips credentials and secret query values from URLs', () => {
    expect(redactUrl('https://user:pw@api.example.com/x?apiKey=k1&username=app', [])).toBe(
      'https://%5BREDACTED%5D:%5BREDACTED%5D@api.example.com/x?apiKey=%5BREDACTED%5D&username=app',
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
        response: { status: 201, headers: new Headers(), bodyText: '{"responses":[{"phoneNumber":"+254711000111"}]}' },
      },
      durationMs: 42,
    };
    const record = redactExchange('africastalking', exchange, ['atsk_123456']);
    expect(record).toEqual({
      provider: 'africastalking',
      reference: 'topup-1',
      method: 'POST',
      url: 'https://api.africastalking.com/version1/airtime/send',
      status: 201,
      requestBody: '{"recipients":[{"phoneNumber":"***111","amount":"KES 100.0000"}]}',
      responseBody: '{"responses":[{"phoneNumber":"***111"}]}',
      durationMs: 42,
    });
    expect(JSON.stringify(record)).not.toContain('atsk_123456');
  });

  it('makes the transfer-log record of an unanswered exchange, without headers', () => {
    const exchange: HttpExchange = {
      request: {
        method: 'POST',
        url: 'https://api.engagespark.com/v1/organizations/4242/topup/',
        headers: { Authorization: 'Token es_pat_123456' },
        body: '{"phoneNumber":"639171234567","maxAmount":"25","clientRef":"topup-1"}',
        timeoutMs: 1_000,
        reference: 'topup-1',
      },
      outcome: { _tag: 'NoAnswer', reason: 'no answer within the timeout' },
      durationMs: 1_000,
    };
    const record = redactExchange('engagespark', exchange, ['es_pat_123456']);
    expect(record).toEqual({
      provider: 'engagespark',
      reference: 'topup-1',
      method: 'POST',
      url: 'https://api.engagespark.com/v1/organizations/4242/topup/',
      status: null,
      requestBody: '{"phoneNumber":"***567","maxAmount":"25","clientRef":"topup-1"}',
      responseBody: null,
      durationMs: 1_000,
      failure: 'no answer within the timeout',
    });
    expect(JSON.stringify(record)).not.toContain('es_pat_123456');
  });
});
