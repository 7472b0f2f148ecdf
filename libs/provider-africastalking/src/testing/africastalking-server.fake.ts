import { formatProviderAmount, type Money, money, parseProviderAmount } from '@airtime/domain';
import { Either } from 'effect';
import {
  type FakeHttpServer,
  type FakeReply,
  type RecordedRequest,
  startFakeHttpServer,
} from '@airtime/provider-http-kit/testing';

export const FAKE_AT_USERNAME = 'sandbox';
export const FAKE_AT_API_KEY = 'atsk_fake_0123456789abcdef';

export interface FakeAfricasTalkingOptions {
  readonly username?: string | undefined;
  readonly apiKey?: string | undefined;
  /** AT's commission on each amount sent, in whole percent (4 by default). */
  readonly discountPercent?: bigint | undefined;
}

/** Africa's Talking behaviours for the next request (besides the common ones). */
export type FakeAfricasTalkingScript =
  /** The first recipient gets this status (and errorMessage), e.g. UserNotFound or Queued. */
  | { readonly kind: 'recipient-status'; readonly status: string; readonly errorMessage?: string }
  /** The whole request is refused: a top-level errorMessage and no recipient line. */
  | { readonly kind: 'request-error'; readonly errorMessage: string };

export type FakeAfricasTalking = FakeHttpServer<FakeAfricasTalkingScript>;

const text = (status: number, body: string): FakeReply => ({ status, body, headers: { 'Content-Type': 'text/plain' } });
const json = (status: number, body: unknown): FakeReply => ({ status, body: JSON.stringify(body) });

/** An amount as AT writes it ("KES 100.0000"); the fake only writes amounts it was sent or derived from them. */
const written = (amount: Money): string =>
  Either.getOrElse(formatProviderAmount(amount, 4), () => `${amount.currency.code} ${amount.amountMinor}`);

const PENDING_OR_DONE = ['Sent', 'Queued', 'Success'];
const DUPLICATE = 'A duplicate request was received within the last 5 minutes';

interface Recipient {
  readonly phoneNumber: unknown;
  readonly amount: unknown;
}

/** The send body, JSON or form-encoded (`recipients` then holds a JSON array). */
const sendBody = (request: RecordedRequest): { username: unknown; recipients: unknown } => {
  if (request.json !== undefined && typeof request.json === 'object' && request.json !== null) {
    const body = request.json as Record<string, unknown>;
    return { username: body['username'], recipients: body['recipients'] };
  }
  const form = new URLSearchParams(request.bodyText);
  let recipients: unknown;
  try {
    recipients = JSON.parse(form.get('recipients') ?? 'null');
  } catch {
    recipients = undefined;
  }
  return { username: form.get('username'), recipients };
};

/**
 * A fake of POST /version1/airtime/send: checks the `apiKey` header and the
 * username (401 in text otherwise), answers "Sent" with an ATQid requestId
 * and a discount for valid recipients ("+" then digits, "KES 100.0000"
 * amounts), InvalidRequest lines for invalid ones, and refuses a reused
 * Idempotency-Key as AT does ("A duplicate request ...").
 */
export const startFakeAfricasTalking = (options: FakeAfricasTalkingOptions = {}): Promise<FakeAfricasTalking> => {
  const username = options.username ?? FAKE_AT_USERNAME;
  const apiKey = options.apiKey ?? FAKE_AT_API_KEY;
  const discountPercent = options.discountPercent ?? 4n;
  const seenKeys = new Set<string>();
  let nextId = 1;

  const line = (recipient: Recipient, script: FakeAfricasTalkingScript | undefined) => {
    const phoneNumber = typeof recipient.phoneNumber === 'string' ? recipient.phoneNumber : '';
    const amountText = typeof recipient.amount === 'string' ? recipient.amount : '';
    const amount: Money | undefined = /^[A-Z]{3} \d+(\.\d{1,4})?$/.test(amountText)
      ? Either.getOrUndefined(parseProviderAmount(amountText))
      : undefined;
    const refusal = !/^\+\d{8,15}$/.test(phoneNumber)
      ? 'Invalid phoneNumber'
      : amount === undefined
        ? 'Invalid amount'
        : undefined;
    const status =
      script?.kind === 'recipient-status' ? script.status : refusal === undefined ? 'Sent' : 'InvalidRequest';
    const errorMessage = script?.kind === 'recipient-status' ? (script.errorMessage ?? 'None') : (refusal ?? 'None');
    const sent = PENDING_OR_DONE.includes(status) && amount !== undefined;
    const discount = amount && sent ? money((amount.amountMinor * discountPercent) / 100n, amount.currency) : undefined;
    return {
      sent,
      amount: sent ? amount : undefined,
      discount,
      answer: {
        phoneNumber,
        errorMessage,
        amount: amount ? written(amount) : amountText,
        status,
        requestId: sent ? `ATQid_${(nextId++).toString(16).padStart(32, '0')}` : 'None',
        discount: discount ? written(discount) : amount ? written(money(0n, amount.currency)) : '0',
      },
    };
  };

  const total = (amounts: readonly (Money | undefined)[]): string => {
    const present = amounts.filter((amount): amount is Money => amount !== undefined);
    const first = present[0];
    return first === undefined
      ? '0'
      : written(
          money(
            present.reduce((sum, amount) => sum + amount.amountMinor, 0n),
            first.currency,
          ),
        );
  };

  return startFakeHttpServer<FakeAfricasTalkingScript>((request, script) => {
    if (request.method !== 'POST' || request.path !== '/version1/airtime/send') return text(404, 'Not Found');
    const body = sendBody(request);
    if (request.headers['apikey'] !== apiKey || body.username !== username)
      return text(401, 'The supplied authentication is invalid');
    if (!Array.isArray(body.recipients) || body.recipients.length === 0)
      return text(400, "Request is missing required form field 'recipients'");
    if (script?.kind === 'request-error') {
      return json(200, {
        errorMessage: script.errorMessage,
        numSent: 0,
        totalAmount: '0',
        totalDiscount: '0',
        responses: [],
      });
    }
    const key = request.headers['idempotency-key'];
    if (key !== undefined) {
      if (seenKeys.has(key))
        return json(200, { errorMessage: DUPLICATE, numSent: 0, totalAmount: '0', totalDiscount: '0', responses: [] });
      seenKeys.add(key);
    }
    const lines = (body.recipients as Recipient[]).map((recipient, index) =>
      line(recipient, index === 0 ? script : undefined),
    );
    return json(201, {
      errorMessage: 'None',
      numSent: lines.filter((entry) => entry.sent).length,
      totalAmount: total(lines.map((entry) => entry.amount)),
      totalDiscount: total(lines.map((entry) => entry.discount)),
      responses: lines.map((entry) => entry.answer),
    });
  });
};
