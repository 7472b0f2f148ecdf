import { Either } from 'effect';
import { toDomainProduct } from '../in-process/domain-product.mapper';
import { DEFAULT_CATALOGUE } from './catalogue.fixture';
import { filterProducts, operatorById } from './catalogue.queries';

const fixedAmounts = (operatorId: number) =>
  filterProducts(DEFAULT_CATALOGUE, { operatorId, type: 'FIXED_VALUE_RECHARGE', subserviceId: 11 }).map((product) =>
    product.kind === 'FIXED' ? Number(product.destination.amountMinor / 100n) : undefined,
  );

describe('catalogue fixture', () => {
  it('Globe offers 10, 15, 25 and 30 PHP (not 20); Smart 10, 15, 20 and 30 (not 25)', () => {
    expect(operatorById(DEFAULT_CATALOGUE, 1)?.name).toBe('Globe Telecom');
    expect(fixedAmounts(1)).toEqual([10, 15, 25, 30]);
    expect(operatorById(DEFAULT_CATALOGUE, 2)?.name).toBe('Smart');
    expect(fixedAmounts(2)).toEqual([10, 15, 20, 30]);
  });

  it('has several countries and operators, fixed and ranged products', () => {
    expect(DEFAULT_CATALOGUE.countries.length).toBeGreaterThanOrEqual(3);
    expect(DEFAULT_CATALOGUE.operators.length).toBeGreaterThanOrEqual(6);
    expect(filterProducts(DEFAULT_CATALOGUE, { type: 'RANGED_VALUE_RECHARGE' }).length).toBeGreaterThanOrEqual(3);
    expect(filterProducts(DEFAULT_CATALOGUE, { type: 'FIXED_VALUE_RECHARGE' }).length).toBeGreaterThanOrEqual(10);
  });

  it('ids are unique and every product has a known operator and service', () => {
    const ids = DEFAULT_CATALOGUE.products.map((product) => product.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const product of DEFAULT_CATALOGUE.products) {
      const operator = operatorById(DEFAULT_CATALOGUE, product.operatorId);
      expect(operator).toBeDefined();
      expect(DEFAULT_CATALOGUE.countries.some((country) => country.isoCode === operator?.countryIso)).toBe(true);
      expect(
        DEFAULT_CATALOGUE.services
          .find((service) => service.id === product.serviceId)
          ?.subservices.some((sub) => sub.id === product.subserviceId),
      ).toBe(true);
    }
  });

  it('every product is a valid domain product', () => {
    for (const product of DEFAULT_CATALOGUE.products) {
      const mapped = toDomainProduct(DEFAULT_CATALOGUE, product);
      expect(Either.isRight(mapped) ? mapped.right.id : mapped.left.message).toBe(String(product.id));
    }
  });

  it('filters on benefit types (any) and tags (all)', () => {
    expect(filterProducts(DEFAULT_CATALOGUE, { benefitTypes: ['DATA'] }).map((product) => product.id)).toEqual([
      105, 205,
    ]);
    expect(
      filterProducts(DEFAULT_CATALOGUE, { benefitTypes: ['SMS', 'CREDITS'] }).map((product) => product.id),
    ).toEqual([205, 901]);
    expect(
      filterProducts(DEFAULT_CATALOGUE, { tags: ['AIRTIME', 'OPEN_RANGE'], countryIsoCode: 'KEN' }).map(
        (product) => product.id,
      ),
    ).toEqual([303, 401]);
  });
});
