import type { DvsRequiredFields } from '../schemas/dvs-common.schema';

/**
 * DVS lists required fields as alternatives of field sets:
 * `[["mobile_number"], ["account_number", "account_qualifier"]]` is met by
 * a mobile number, or by an account number with its qualifier. No
 * alternatives (or only empty ones) means nothing is required.
 */
export const isRequired = (required: DvsRequiredFields): boolean =>
  required.some((alternative) => alternative.length > 0);

export const meetsRequirement = (required: DvsRequiredFields, provided: ReadonlySet<string>): boolean =>
  !isRequired(required) || required.some((alternative) => alternative.every((field) => provided.has(field)));

/** The names of the non-empty string fields of a snake_case body part. */
export const providedFields = (part: Readonly<Record<string, unknown>> | undefined): ReadonlySet<string> =>
  new Set(
    Object.entries(part ?? {})
      .filter(([, value]) => typeof value === 'string' && value.trim() !== '')
      .map(([field]) => field),
  );

/** `["first_name", "last_name"] or ["mobile_number"]`, for error messages. */
export const describeRequirement = (required: DvsRequiredFields): string =>
  required.map((alternative) => `[${alternative.join(', ')}]`).join(' or ');
