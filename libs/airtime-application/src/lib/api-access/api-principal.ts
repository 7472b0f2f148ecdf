// Who calls the API: an authenticated API key and the accounts it is scoped
// to. Every scoped use case takes the principal with its own input fields.

/** An authenticated caller: the key's id and the accounts it may see and spend from. */
export interface ApiPrincipal {
  readonly keyId: string;
  readonly accountIds: readonly string[];
}

/**
 * A scoped use case's argument: the principal, and the input's fields
 * (camelCase, as the use case's input schema names them) as they came, not
 * yet decoded.
 */
export type ScopedRequest<Fields> = { readonly principal: ApiPrincipal } & {
  readonly [K in keyof Fields]?: unknown;
};

/** Whether the principal may see the account. */
export const canSee = (principal: ApiPrincipal, accountId: string): boolean => principal.accountIds.includes(accountId);

/** The input fields of a scoped request (everything but the principal). */
export const fieldsOf = <Fields>(request: ScopedRequest<Fields>): Readonly<Record<string, unknown>> => {
  const { principal: _principal, ...fields } = request;
  return fields;
};
