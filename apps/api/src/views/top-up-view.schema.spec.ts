import { jsonSchemaOf } from '../http/route-schema.mapper';
import { TopUpView } from './top-up-view.schema';

describe('the top-up view schema', () => {
  it('describes every field of the top-up in the OpenAPI document', () => {
    const { properties = {} } = jsonSchemaOf(TopUpView) as {
      readonly properties?: Record<string, { readonly description?: unknown }>;
    };
    expect(Object.keys(properties)).toEqual(Object.keys(TopUpView.fields));
    const undescribed = Object.entries(properties)
      .filter(([, property]) => typeof property.description !== 'string' || property.description.length === 0)
      .map(([name]) => name);
    expect(undescribed).toEqual([]);
  });
});
