// A bare HTTP client for the simulator's integration tests (Node's fetch).
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface DvsHttpClient {
  readonly get: (path: string, headers?: Readonly<Record<string, string>>) => Promise<HttpAnswer>;
  readonly post: (path: string, body?: unknown, headers?: Readonly<Record<string, string>>) => Promise<HttpAnswer>;
  readonly put: (path: string, body?: unknown) => Promise<HttpAnswer>;
  readonly patch: (path: string, body?: unknown) => Promise<HttpAnswer>;
  /** Sends a raw text body. */
  readonly postRaw: (path: string, text: string) => Promise<HttpAnswer>;
}

const answer = async (response: Response): Promise<HttpAnswer> => {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length === 0 ? undefined : (JSON.parse(text) as unknown);
  } catch {
    // kept as text
  }
  return { status: response.status, headers: response.headers, body };
};

/** `base` is e.g. `${server.url}/v1`; paths start with "/". */
export const dvsHttpClient = (base: string, authorization: string | undefined): DvsHttpClient => {
  const auth: Record<string, string> = authorization === undefined ? {} : { authorization };
  const withBody = (method: string) => async (path: string, body?: unknown) =>
    answer(
      await fetch(`${base}${path}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  return {
    put: withBody('PUT'),
    patch: withBody('PATCH'),
    get: async (path, headers = {}) => answer(await fetch(`${base}${path}`, { headers: { ...auth, ...headers } })),
    post: async (path, body, headers = {}) =>
      answer(
        await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      ),
    postRaw: async (path, text) =>
      answer(
        await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: text,
        }),
      ),
  };
};
