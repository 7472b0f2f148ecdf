import { Either } from 'effect';
import { inMemoryLayers, SAMPLE_KE_NUMBER, SAMPLE_PH_NUMBER, sampleCatalogue } from '../../testing';
import { productsForPhone } from './products-for-phone.use-case';

describe('productsForPhone', () => {
  it("answers each operator of the number with that operator's products", async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    const answer = await world.run(productsForPhone(SAMPLE_PH_NUMBER));
    expect(answer.map((entry) => [entry.operator.id, entry.identified, entry.products.map((p) => p.id)])).toEqual([
      ['smart-ph', true, ['smart-50', 'smart-100', 'smart-300']],
    ]);
    expect((await world.run(productsForPhone(SAMPLE_KE_NUMBER)))[0]?.products.map((p) => p.id)).toEqual([
      'safaricom-100',
    ]);
  });

  it('answers an empty list when no operator is known, and InvalidInput for a bad number', async () => {
    const world = inMemoryLayers({
      products: sampleCatalogue.filter((product) => product.operator.countryIso === 'KE'),
    });
    expect(await world.run(productsForPhone(SAMPLE_PH_NUMBER))).toEqual([]);
    expect(await world.runEither(productsForPhone('+63'))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'phone' })),
    );
  });
});
