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
