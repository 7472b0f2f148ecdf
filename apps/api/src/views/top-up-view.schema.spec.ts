import type { JSONSchema } from 'effect';
import { componentSchemas, jsonSchemaOf } from '../http/route-schema.mapper';
import { TopUpView } from './top-up-view.schema';

/** The object schema of a component: the value itself, or the definition its $ref names. */
const objectOf = (schema: JSONSchema.JsonSchema7, definitions: Record<string, JSONSchema.JsonSchema7>) => {
  const ref = '$ref' in schema ? schema.$ref : undefined;
  return (ref === undefined ? schema : definitions[ref.replace('#/components/schemas/', '')]) as {
    readonly properties?: Record<string, JSONSchema.JsonSchema7 & { readonly description?: string }>;
  };
};

describe('the top-up view schema', () => {
  it('describes every field of the top-up in the OpenAPI document', () => {
    const { componentSchemas } =
      jest.requireActual<typeof import('../http/route-schema.mapper')>('../http/route-schema.mapper');
    const properties = objectOf(jsonSchemaOf(TopUpView), { ...componentSchemas() }).properties ?? {};
    expect(Object.keys(properties)).toEqual(Object.keys(TopUpView.fields));
    const undescribed = Object.entries(properties)
      .filter(([, property]) => typeof property.description !== 'string' || property.description.length === 0)
      .map(([name]) => name);
    expect(undescribed).toEqual([]);
  });
});
