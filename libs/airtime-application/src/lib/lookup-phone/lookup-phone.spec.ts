import { Either } from 'effect';
import { inMemoryLayers, SAMPLE_KE_NUMBER, SAMPLE_PH_NUMBER, sampleCatalogue } from '../../testing';
import { lookupPhone } from './lookup-phone.use-case';

describe('lookupPhone', () => {
  it('answers the operators of a number, in E.164 or international digits', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    const expected = [{ operator: expect.objectContaining({ id: 'smart-ph', countryIso: 'PH' }), identified: true }];
    expect(await world.run(lookupPhone(SAMPLE_PH_NUMBER))).toEqual(expected);
    expect(await world.run(lookupPhone(SAMPLE_PH_NUMBER.slice(1)))).toEqual(expected);
  });

  it('answers an empty list for a valid number no operator is known for', async () => {
    const world = inMemoryLayers({
      products: sampleCatalogue.filter((product) => product.operator.countryIso === 'PH'),
    });
    expect(await world.run(lookupPhone(SAMPLE_KE_NUMBER))).toEqual([]);
  });

  it('refuses a text that is not a valid number, never quoting it', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    for (const phone of ['', '+1', '+63917123410099999', 'call me', '+999123456789', 639171234100, undefined]) {
      const answer = await world.runEither(lookupPhone(phone));
      expect(answer).toEqual(Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'phone' })));
      if (Either.isLeft(answer) && typeof phone === 'string' && phone.length > 2)
        expect(answer.left.message).not.toContain(phone);
    }
  });

  it("passes the provider's failure on", async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    world.provider.failCatalogue(1);
    expect(await world.runEither(lookupPhone(SAMPLE_PH_NUMBER))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProviderUnavailable' })),
    );
  });
});
