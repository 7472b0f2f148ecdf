// What Fastify refuses before a route runs, answered in the API's error
// shape: by Fastify's error code, the status and our code, with a fixed
// message (Fastify's own quote the input: a JSON parser's message shows the
// body, a media type error the header). Any other error with a 4xx status
// keeps it, as BAD_REQUEST; nothing a caller sends is a 500.

export interface FastifyErrorAnswer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export const FASTIFY_ERRORS: Readonly<Record<string, FastifyErrorAnswer>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', message: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_JSON',
    message: 'the body is empty but its content type is application/json',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE', message: 'the body is larger than allowed' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'the body must be application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'the content length does not match the body',
  },
  FST_ERR_BAD_URL: { status: 400, code: 'BAD_REQUEST', message: 'the URL cannot be read' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'BAD_REQUEST', message: 'the request cannot be routed' },
};

/** Any other error Fastify raises with a 4xx status. */
export const OTHER_FASTIFY_REFUSAL: FastifyErrorAnswer = {
  status: 400,
  code: 'BAD_REQUEST',
  message: 'the request cannot be read',
};

/** The answer of an error Fastify raised (its code and 4xx status), or undefined when it is not one. */
export const fastifyAnswerOf = (error: unknown): FastifyErrorAnswer | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const known = code === undefined ? undefined : FASTIFY_ERRORS[code];
  if (known !== undefined) return known;
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : undefined;
  const clientStatus = status !== undefined && status >= 400 && status < 500 ? status : undefined;
  return clientStatus === undefined ? undefined : { ...OTHER_FASTIFY_REFUSAL, status: clientStatus };
};

// What Node's HTTP parser refuses before a request exists (Fastify's
// clientErrorHandler: no route, no reply), by Node's error code: headers
// over its limit (--max-http-header-size, 16 KiB), chunk extensions over
// its limit, a request not received within its timeout; anything else is
// bytes that are not HTTP/1.1 (e.g. a body longer than its Content-Length:
// what follows it is read as the next request).
export const CLIENT_ERRORS: Readonly<Record<string, FastifyErrorAnswer>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    message: 'the request headers are larger than allowed',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    code: 'BODY_TOO_LARGE',
    message: 'the chunk extensions of the body are larger than allowed',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', message: 'the request was not received in time' },
};

/** Any other error of Node's HTTP parser. */
export const OTHER_CLIENT_ERROR: FastifyErrorAnswer = {
  status: 400,
  code: 'BAD_REQUEST',
  message: 'the request is not valid HTTP/1.1',
};

/** The answer of an error Node's HTTP parser raised on a connection (before any request exists). */
export const clientErrorAnswerOf = (error: { readonly code?: string | undefined }): FastifyErrorAnswer =>
  (error.code === undefined ? undefined : CLIENT_ERRORS[error.code]) ?? OTHER_CLIENT_ERROR;
