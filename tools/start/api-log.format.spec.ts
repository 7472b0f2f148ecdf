// The API's pino lines as npm start shows them.
import fc from 'fast-check';
import { escapeUnsafe, parseLogLine, prettyLogLine } from './api-log.format';

/** What a terminal acts on or hides: C0, DEL, C1, format (bidi, zero-width), separators, lone surrogates, default-ignorables. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/** Strings made mostly of the characters that have hurt: ESC sequences, NUL, C1, bidi, zero-width, separators, halves of pairs. */
const hostileString = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\u001b',
      '[31m',
      '\u0000',
      '\u0007',
      '\r',
      '\n',
      '\t',
      '\u007f',
      '\u0085',
      '\u009b',
      '\u202e',
      '\u2066',
      '\u200b',
      '\u200d',
      '\ufeff',
      '\u2028',
      '\u2029',
      '\u00ad',
      '\u115f',
      '\ud800',
      '\udc00',
      '\u{e0001}',
      '\\',
      '"',
      '=',
      ' ',
      'a',
      '😀',
    ),
    fc.string({ unit: 'binary', maxLength: 1 }),
  ),
  maxLength: 12,
});

const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('prettyLogLine', () => {
  it('shows the time, the level, the message and the other fields', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-11-30T19:34:44.812Z',
      service: 'airtime-api',
      topUpId: '01a2',
      externalId: 'demo-1',
      sent: true,
      deliveryCount: 0,
      reason: 'the body is not JSON',
      tasks: ['a', 'b'],
      msg: 'top-up command handled',
    });
    expect(prettyLogLine(line)).toBe(
      '19:34:44 INFO  top-up command handled topUpId=01a2 externalId=demo-1 sent=true deliveryCount=0 reason="the body is not JSON" tasks=["a","b"]',
    );
  });

  it('reads numeric pino levels and epoch times', () => {
    expect(prettyLogLine(JSON.stringify({ level: 50, time: Date.UTC(2026, 0, 1, 8, 5, 9), msg: 'boom' }))).toBe(
      '08:05:09 ERROR boom',
    );
  });

  it('keeps a line that is not a pino object as it is', () => {
    for (const line of ['api: SIGTERM received, shutting down', '{"not":"pino"}', '{broken', '[1,2]']) {
      expect(prettyLogLine(line)).toBe(line);
    }
  });
});

describe('prettyLogLine on hostile values', () => {
  const line = (fields: Record<string, unknown>) =>
    JSON.stringify({ level: 'info', time: '2026-11-30T19:34:44.812Z', msg: 'top-up command handled', ...fields });

  it('quotes and escapes an ESC sequence, NUL, C1, DEL, bidi and zero-width characters as JSON does', () => {
    expect(prettyLogLine(line({ externalId: '\u001b[31mRED\u001b[0m' }))).toBe(
      '19:34:44 INFO  top-up command handled externalId="\\u001b[31mRED\\u001b[0m"',
    );
    expect(prettyLogLine(line({ messageId: 'a\u0000b', x: 'x\u007f\u009b', y: '\u202eevil', z: 'a\u200bb' }))).toBe(
      '19:34:44 INFO  top-up command handled messageId="a\\u0000b" x="x\\u007f\\u009b" y="\\u202eevil" z="a\\u200bb"',
    );
    expect(prettyLogLine(line({ sep: 'a\u2028b', tag: '\u{e0001}' }))).toBe(
      '19:34:44 INFO  top-up command handled sep="a\\u2028b" tag="\\udb40\\udc01"',
    );
  });

  it('quotes a value with a backslash, so an escape is never mistaken for the text it stands for', () => {
    expect(prettyLogLine(line({ a: '\\u001b', b: 'plain-é-😀' }))).toBe(
      '19:34:44 INFO  top-up command handled a="\\\\u001b" b=plain-é-😀',
    );
  });

  it('escapes the message, the field names, the level and the nested values', () => {
    expect(
      prettyLogLine(
        JSON.stringify({
          level: '\u001b[2J',
          time: 'x\u001b[2J',
          msg: 'boom\u001b]0;title\u0007',
          '\u202ek': ['\u0085'],
        }),
      ),
    ).toBe('--:--:-- \\u001b[2J "boom\\u001b]0;title\\u0007" "\\u202ek"=["\\u0085"]');
  });

  it('escapes the unsafe characters of a line that is not a pino object, keeping the rest', () => {
    expect(prettyLogLine('warning: \u001b[31mred\u001b[0m \u202e!')).toBe('warning: \\u001b[31mred\\u001b[0m \\u202e!');
  });

  it('shows an epoch time out of range as no time', () => {
    expect(prettyLogLine(JSON.stringify({ level: 30, time: 1e300, msg: 'm' }))).toBe('--:--:-- INFO  m');
  });

  it('never writes a control, bidi or other invisible character, whatever the message, names and values', () => {
    fc.assert(
      fc.property(
        hostileString,
        fc.dictionary(hostileString, hostileJson, { maxKeys: 4 }),
        fc.oneof(hostileString, fc.integer()),
        (msg, fields, level) => {
          const pretty = prettyLogLine(JSON.stringify({ level, time: 0, ...fields, msg }));
          expect(pretty).not.toMatch(UNSAFE);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives a quoted string value back to JSON.parse as it was', () => {
    fc.assert(
      fc.property(hostileString, (value) => {
        const pretty = prettyLogLine(JSON.stringify({ level: 30, time: 0, msg: 'm', v: value }));
        const shown = pretty.slice('00:00:00 INFO  m v='.length);
        expect(shown.startsWith('"') ? JSON.parse(shown) : shown).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('never writes one for any line, pino or not', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary' })), (text) => {
        expect(prettyLogLine(text)).not.toMatch(UNSAFE);
        expect(prettyLogLine(`{"msg":${JSON.stringify(text)}}`)).not.toMatch(UNSAFE);
      }),
      { numRuns: 500 },
    );
  });
});

describe('escapeUnsafe', () => {
  it('keeps safe text, letters, marks and emoji as they are', () => {
    expect(escapeUnsafe('café 😀 नमस्ते a\\b')).toBe('café 😀 नमस्ते a\\b');
  });
});

describe('parseLogLine', () => {
  it('gives the fields of a pino line, nothing for other text', () => {
    expect(parseLogLine('{"msg":"api started","url":"http://127.0.0.1:8080"}')).toEqual({
      msg: 'api started',
      url: 'http://127.0.0.1:8080',
    });
    expect(parseLogLine('api started')).toBeUndefined();
    expect(parseLogLine('{"level":"info"}')).toBeUndefined();
  });
});
