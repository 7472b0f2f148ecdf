// What Node's HTTP parser refuses before a request exists (headers too
// large, bytes that are not HTTP) and a compressed body: answered in the
// API's error shape with a code, never Fastify's default
// `{"error":"Bad Request","statusCode":400}`. Raw HTTP is written with
// node:net (fetch would refuse to send it).
import { connect } from 'node:net';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.fixture';

interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Sends `bytes` on one connection and reads what comes back until the server closes it. */
const sendRaw = (url: string, bytes: string | Buffer): Promise<string> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // the server may close before reading all it was sent: what it answered was read
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(error);
    });
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(bytes);
  });

/** Every HTTP/1.1 answer in a connection's bytes (each with a Content-Length), in order. */
const answersOf = (raw: string): RawAnswer[] => {
  const answers: RawAnswer[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const [statusLine = '', ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers = Object.fromEntries(
      lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers['content-length'] ?? 0);
    const body = Buffer.from(rest.slice(headEnd + 4), 'utf8')
      .subarray(0, length)
      .toString('utf8');
    answers.push({ status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as unknown });
    rest = Buffer.from(rest.slice(headEnd + 4), 'utf8')
      .subarray(length)
      .toString('utf8');
  }
  return answers;
};

describe('the API transport', () => {
  let api: ApiHarness;
  let key: string;

  beforeAll(async () => {
    api = await startApiHarness({ label: 'api-transport' });
    await api.openAccount('team-growth');
    key = await api.issueKey('team-growth');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers headers larger than Node reads 431 HEADERS_TOO_LARGE in its own shape, and closes the connection', async () => {
    const raw = await sendRaw(
      api.url,
      `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    const answers = answersOf(raw);
    expect(answers).toEqual([
      {
        status: 431,
        headers: expect.objectContaining({ 'content-type': 'application/json; charset=utf-8', connection: 'close' }),
        body: { error: { code: 'HEADERS_TOO_LARGE', message: 'the request headers are larger than allowed' } },
      },
    ]);
  });

  it('answers bytes that are not HTTP 400 BAD_REQUEST in its own shape (a body longer than its Content-Length)', async () => {
    const body = JSON.stringify({ phone_number: '+639171234100', currency: 'PHP', max_amount: '25' });
    const raw = await sendRaw(
      api.url,
      `POST /v1/quotes HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 5\r\n\r\n${body}`,
    );
    const answers = answersOf(raw);
    // the five bytes are a request of their own (answered or not before the connection closes); what follows is not HTTP
    const refusal = answers.at(-1);
    expect(refusal).toEqual({
      status: 400,
      headers: expect.objectContaining({ 'content-type': 'application/json; charset=utf-8', connection: 'close' }),
      body: { error: { code: 'BAD_REQUEST', message: 'the request is not valid HTTP/1.1' } },
    });
    for (const answer of answers) expect(answer.body).toMatchObject({ error: { code: expect.any(String) } });
    // the server still answers
    expect((await api.request('GET', '/healthz')).status).toBe(200);
  });

  it('refuses a compressed body 415 UNSUPPORTED_MEDIA_TYPE (no body is decompressed), naming identity as the one encoding', async () => {
    const json = JSON.stringify({ phone_number: '+639171234100', currency: 'PHP', max_amount: '25' });
    const { gzipSync } = await import('node:zlib');
    for (const [encoding, rawBody] of [
      ['gzip', gzipSync(json)],
      ['deflate', Buffer.from(json)],
      ['br', Buffer.from(json)],
      ['identity, gzip', gzipSync(json)],
    ] as const) {
      const answer = await api.request('POST', '/v1/quotes', {
        key,
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        rawBody,
      });
      expect({ encoding, status: answer.status, body: answer.body }).toEqual({
        encoding,
        status: 415,
        body: {
          error: {
            code: 'UNSUPPORTED_MEDIA_TYPE',
            message: 'the body must not be encoded: send it uncompressed, with no Content-Encoding (or identity)',
          },
        },
      });
      expect(answer.headers.get('accept-encoding')).toBe('identity');
    }
    // identity (any case) is no encoding: the body is read
    for (const encoding of ['identity', 'IDENTITY']) {
      const answer = await api.request('POST', '/v1/quotes', {
        key,
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        rawBody: json,
      });
      expect({ encoding, code: (answer.body as { error?: { code?: string } }).error?.code }).toEqual({
        encoding,
        code: undefined,
      });
      expect(answer.status).toBe(200);
    }
  });
});
