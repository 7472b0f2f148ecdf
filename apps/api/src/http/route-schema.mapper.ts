// The OpenAPI description of a route, generated from the same effect/Schema
// values its handler decodes with (JSONSchema.fromAST, encoded side): the
// path parameters, query string, headers, body and each answer's body.
// Fastify keeps them on the route for @fastify/swagger; they validate
// nothing (the server's validator compiler accepts all, the handler decodes).
import { JSONSchema, type Schema } from 'effect';
import type { FastifySchema } from 'fastify';
import { ErrorView } from './error-view.schema';

/** Named schemas (`identifier` annotations) referenced by the routes' schemas. */
const definitions: Record<string, JSONSchema.JsonSchema7> = {};

/** The JSON Schema (OpenAPI 3.1) of an effect schema's encoded form, its named parts as component references. */
export const jsonSchemaOf = (schema: Schema.Schema.Any): JSONSchema.JsonSchema7 =>
  JSONSchema.fromAST(schema.ast, {
    definitions,
    definitionPath: '#/components/schemas/',
    target: 'openApi3.1',
    topLevelReferenceStrategy: 'skip',
  });

/** The components every route's references point to (filled as route schemas are made). */
export const componentSchemas = (): Readonly<Record<string, JSONSchema.JsonSchema7>> => definitions;

export interface AnswerSpec {
  readonly description: string;
  readonly body?: Schema.Schema.Any | undefined;
  /** The media type of the body when it is not JSON (e.g. `text/plain`). */
  readonly mediaType?: string | undefined;
  /** Response headers by name, each with its description. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export interface RouteSpec {
  readonly summary: string;
  readonly description?: string | undefined;
  readonly tags: readonly string[];
  /** Authenticated by API key (default true). */
  readonly authenticated?: boolean | undefined;
  readonly params?: Schema.Schema.Any | undefined;
  readonly query?: Schema.Schema.Any | undefined;
  readonly headers?: Schema.Schema.Any | undefined;
  readonly body?: Schema.Schema.Any | undefined;
  /** Success answers by status; the error answers are added from `errors`. */
  readonly answers: Readonly<Record<number, AnswerSpec>>;
  /** The error statuses this route may answer, each described. */
  readonly errors: Readonly<Record<number, string>>;
}

/** The body of an answer: its JSON Schema (JSON), or under `content` by its media type. */
const answerBodySchema = (answer: AnswerSpec) => {
  if (answer.body === undefined) return {};
  const schema = jsonSchemaOf(answer.body);
  return answer.mediaType === undefined ? schema : { content: { [answer.mediaType]: { schema } } };
};

const answerSchema = (answer: AnswerSpec) => ({
  description: answer.description,
  ...answerBodySchema(answer),
  ...(answer.headers === undefined
    ? {}
    : {
        headers: Object.fromEntries(
          Object.entries(answer.headers).map(([name, description]) => [name, { type: 'string', description }]),
        ),
      }),
});

/** The Fastify route schema (for the OpenAPI document) of a route spec. */
export const fastifySchemaOf = (spec: RouteSpec): FastifySchema => {
  const errorSchema = jsonSchemaOf(ErrorView);
  const response: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(spec.answers)) response[status] = answerSchema(answer);
  for (const [status, description] of Object.entries(spec.errors)) response[status] = { description, ...errorSchema };
  return {
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    tags: [...spec.tags],
    ...(spec.authenticated === false ? { security: [] } : {}),
    ...(spec.params === undefined ? {} : { params: jsonSchemaOf(spec.params) }),
    ...(spec.query === undefined ? {} : { querystring: jsonSchemaOf(spec.query) }),
    ...(spec.headers === undefined ? {} : { headers: jsonSchemaOf(spec.headers) }),
    ...(spec.body === undefined ? {} : { body: jsonSchemaOf(spec.body) }),
    response,
  } as FastifySchema;
};
