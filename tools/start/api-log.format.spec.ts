// The API's pino lines as npm start shows them.
import { parseLogLine, prettyLogLine } from './api-log.format';

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
