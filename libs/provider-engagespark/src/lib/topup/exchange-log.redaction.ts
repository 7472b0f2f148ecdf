import { Redacted } from 'effect';
import type { EngageSparkConfig } from '../config/engagespark.config';
import { type HttpExchange, redactExchange, redactText, type TransferLogRecord } from '@airtime/provider-http-kit';

export const ENGAGESPARK_PROVIDER_ID = 'engagespark';

const secretsOf = (config: Pick<EngageSparkConfig, 'token'>): readonly string[] => [Redacted.value(config.token)];

/** The transfer-log record of one engageSPARK exchange: no token (header or echo), phone numbers masked. */
export const redactEngageSparkExchange = (
  exchange: HttpExchange,
  config: Pick<EngageSparkConfig, 'token'>,
): TransferLogRecord => redactExchange(ENGAGESPARK_PROVIDER_ID, exchange, secretsOf(config));

/** A provider text (error message, body) made safe for an error reason or a log line. */
export const redactEngageSparkText = (text: string, config: Pick<EngageSparkConfig, 'token'>): string =>
  redactText(text, secretsOf(config));
