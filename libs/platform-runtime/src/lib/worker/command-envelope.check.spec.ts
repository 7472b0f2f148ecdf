import { COMMAND_VERSION_HEADER, TOP_UP_COMMAND_TYPE } from '@airtime/messaging-rabbitmq';
import { Either } from 'effect';
import { checkCommandProperties, checkCommandVersionHeader } from './command-envelope.check';

type Properties = Parameters<typeof checkCommandProperties>[0];

const reasonOf = (result: Either.Either<void, { readonly reason: string }>): string | undefined =>
  Either.isLeft(result) ? result.left.reason : undefined;

describe('the properties of a top-up command', () => {
  it.each<[string, Properties]>([
    ['none', {}],
    ['content-encoding identity', { contentEncoding: 'identity' }],
    ["content-encoding utf-8 (the platform's publishers)", { contentEncoding: 'utf-8' }],
    ['content-encoding utf8', { contentEncoding: 'utf8' }],
    ['content-encoding UTF8', { contentEncoding: 'UTF8' }],
    ['content-encoding UTF-8', { contentEncoding: 'UTF-8' }],
    ["content-encoding '' (pika sends '' when set so)", { contentEncoding: '' }],
    ["content-type ''", { contentType: '' }],
    ["type ''", { type: '' }],
    ["all three ''", { contentEncoding: '', contentType: '', type: '' }],
    ['content-type application/json; charset=utf8', { contentType: 'application/json; charset=utf8' }],
    ['content-type Application/JSON;charset="UTF-8"', { contentType: 'Application/JSON;charset="UTF-8"' }],
    [`type ${TOP_UP_COMMAND_TYPE}`, { type: TOP_UP_COMMAND_TYPE }],
  ])('reads a command with %s', (_case, properties) => {
    expect(reasonOf(checkCommandProperties(properties))).toBeUndefined();
  });

  it.each<[string, Properties, string]>([
    ['content-encoding gzip', { contentEncoding: 'gzip' }, 'content-encoding'],
    ['content-encoding base64', { contentEncoding: 'base64' }, 'content-encoding'],
    ['content-encoding utf16', { contentEncoding: 'utf16' }, 'content-encoding'],
    ['content-type text/plain', { contentType: 'text/plain' }, 'content-type'],
    ['content-type with charset latin1', { contentType: 'application/json; charset=latin1' }, 'content-type'],
    ['type topup.cancel', { type: 'topup.cancel' }, 'type'],
    ["content-encoding gzip beside a type ''", { contentEncoding: 'gzip', type: '' }, 'content-encoding'],
    ["type topup.cancel beside a content-type ''", { contentType: '', type: 'topup.cancel' }, 'type'],
  ])('refuses a command with %s, naming the property, never its value', (_case, properties, property) => {
    const reason = reasonOf(checkCommandProperties(properties));
    expect(reason).toContain(property);
    expect(reason).not.toMatch(/gzip|base64|utf16|text\/plain|latin1|topup\.cancel/);
  });
});

describe(`the ${COMMAND_VERSION_HEADER} header of a top-up command`, () => {
  it.each<[string, Record<string, unknown> | undefined]>([
    ['no headers', undefined],
    ['no such header', {}],
    ['the number 1', { [COMMAND_VERSION_HEADER]: 1 }],
    ["the text '1'", { [COMMAND_VERSION_HEADER]: '1' }],
    ['an explicit null (AMQP void)', { [COMMAND_VERSION_HEADER]: null }],
    ["the empty text ''", { [COMMAND_VERSION_HEADER]: '' }],
    ["the bytes of '1' (Go's []byte, a Buffer through amqplib)", { [COMMAND_VERSION_HEADER]: Buffer.from('1') }],
    ["the bytes of ' 1 '", { [COMMAND_VERSION_HEADER]: Buffer.from(' 1 ') }],
    ['the 64-bit integer 1', { [COMMAND_VERSION_HEADER]: 1n }],
  ])('reads a command with %s', (_case, headers) => {
    expect(reasonOf(checkCommandVersionHeader(headers))).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['the number 2', 2],
    ["the text 'two'", 'two'],
    ["the bytes of '2'", Buffer.from('2')],
    ['bytes that are no UTF-8', Buffer.from([0xff, 0x31])],
    ['the 64-bit integer 2', 2n],
    ['an object', { version: 1 }],
    ['true', true],
  ])('refuses a command whose header is %s, naming the header, never its value', (_case, value) => {
    const reason = reasonOf(checkCommandVersionHeader({ [COMMAND_VERSION_HEADER]: value }));
    expect(reason).toContain(COMMAND_VERSION_HEADER);
    expect(reason).not.toMatch(/two|\b2\b/);
  });
});
