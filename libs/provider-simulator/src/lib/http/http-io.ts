import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DvsError } from '../engine/simulator.errors';
import type { Json } from '../json/dvs-json.mapper';

/** What a route answers: JSON with a status and headers, or nothing at all (a request left hanging). */
export type Reply =
  | {
      readonly kind: 'json';
      readonly status: number;
      readonly body: Json | undefined;
      readonly headers?: Readonly<Record<string, string>> | undefined;
    }
  | { readonly kind: 'hang' };

export const json = (status: number, body: Json | undefined, headers?: Readonly<Record<string, string>>): Reply =>
  headers ? { kind: 'json', status, body, headers } : { kind: 'json', status, body };

/** DVS's error body: `{"errors":[{"code":...,"message":...}]}`. */
export const errorBody = (code: number, message: string): Json => ({ errors: [{ code, message }] });

export const dvsErrorReply = (error: DvsError, headers?: Readonly<Record<string, string>>): Reply =>
  json(error.httpStatus, errorBody(error.code, error.message), headers);

export class BodyTooLarge extends Error {}

/** Reads the whole body as text, refusing more than `maxBytes`. */
export const readBody = (request: IncomingMessage, maxBytes: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new BodyTooLarge(`body larger than ${maxBytes} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

export const writeReply = (response: ServerResponse, reply: Reply): void => {
  if (reply.kind === 'hang' || response.writableEnded || response.destroyed) return;
  const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...(reply.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': String(Buffer.byteLength(body)),
    ...reply.headers,
  });
  response.end(body);
};
