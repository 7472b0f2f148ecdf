import { Redacted } from 'effect';
import type { AfricasTalkingConfig } from '../config/africastalking.config';
import { type HttpExchange, redactExchange, redactText, type TransferLogRecord } from '@airtime/provider-http-kit';

export const AFRICASTALKING_PROVIDER_ID = 'africastalking';

const secretsOf = (config: Pick<AfricasTalkingConfig, 'apiKey'>): readonly string[] => [Redacted.value(config.apiKey)];

/** The transfer-log record of one Africa's Talking exchange: no API key (header or echo), phone numbers masked. */
export const redactAfricasTalkingExchange = (
  exchange: HttpExchange,
  config: Pick<AfricasTalkingConfig, 'apiKey'>,
): TransferLogRecord => redactExchange(AFRICASTALKING_PROVIDER_ID, exchange, secretsOf(config));

/** A provider text (error message, body) made safe for an error reason or a log line. */
export const redactAfricasTalkingText = (text: string, config: Pick<AfricasTalkingConfig, 'apiKey'>): string =>
  redactText(text, secretsOf(config));
