// DVS JSON objects shaped as in the reference, for specs. Each takes
// overrides merged at the top level.
export const sampleDvsOperator = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 1597,
  name: 'Globe Telecom',
  country: { name: 'Philippines', iso_code: 'PHL', regions: null },
  regions: [],
  ...overrides,
});

export const sampleDvsFixedProduct = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 11001,
  name: 'Globe 100 PHP',
  description: 'Airtime 100 PHP',
  tags: ['AIRTIME'],
  service: { id: 1, name: 'Mobile', subservice: { id: 11, name: 'Airtime' } },
  operator: sampleDvsOperator(),
  regions: null,
  type: 'FIXED_VALUE_RECHARGE',
  validity: null,
  required_debit_party_identifier_fields: [],
  required_credit_party_identifier_fields: [['mobile_number']],
  required_sender_fields: [],
  required_beneficiary_fields: [],
  required_statement_identifier_fields: [],
  required_additional_identifier_fields: [],
  availability_zones: ['INTERNATIONAL'],
  source: { unit_type: 'CURRENCY', unit: 'USD', amount: 1.95 },
  destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 100 },
  prices: {
    wholesale: { unit_type: 'CURRENCY', unit: 'USD', amount: 1.85, fee: 0.05 },
    retail: { unit_type: 'CURRENCY', unit: 'USD', amount: 2.1, fee: 0 },
  },
  rates: { base: 56.5, wholesale: 54.054054, retail: 47.619047 },
  benefits: [
    {
      type: 'TALKTIME',
      unit_type: 'CURRENCY',
      unit: 'PHP',
      amount: { base: 100, promotion_bonus: 0, total_excluding_tax: 100, total_including_tax: 100 },
      additional_information: null,
    },
  ],
  promotions: [],
  // a field DVS may add one day: must be ignored
  brand_new_field: { anything: true },
  ...overrides,
});

export const sampleDvsRangedProduct = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...sampleDvsFixedProduct(),
  id: 12001,
  name: 'Globe 10-1000 PHP',
  type: 'RANGED_VALUE_RECHARGE',
  source: { unit_type: 'CURRENCY', unit: 'USD', amount: { min: 0.18, max: 17.7 } },
  destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: { min: 10, max: 1000, increment: 0.5 } },
  prices: {
    wholesale: { unit_type: 'CURRENCY', unit: 'USD', amount: { min: 0.18, max: 17.7 }, fee: 0.1 },
    retail: { unit_type: 'CURRENCY', unit: 'USD', amount: { min: 0.2, max: 20 }, fee: 0 },
  },
  rates: { base: 58.5, wholesale: 56.5, retail: 50 },
  ...overrides,
});

export const sampleDvsTransaction = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 3209183,
  external_id: 'topup-1-abc-1',
  creation_date: '2026-11-02T10:00:00Z',
  confirmation_expiration_date: '2026-11-02T11:00:00Z',
  confirmation_date: '2026-11-02T10:00:01Z',
  status: { id: 70000, message: 'COMPLETED', class: { id: 7, message: 'COMPLETED' } },
  operator_reference: 'GLB-778812',
  pin: null,
  product: { id: 11001, name: 'Globe 100 PHP', operator: sampleDvsOperator() },
  prices: {
    wholesale: { unit_type: 'CURRENCY', unit: 'USD', amount: 1.85, fee: 0.05 },
    retail: { unit_type: 'CURRENCY', unit: 'USD', amount: 2.1, fee: 0 },
  },
  rates: { base: 56.5, wholesale: 54.054054, retail: 47.619047 },
  benefits: [],
  promotions: [],
  requested_values: {
    source: { unit_type: 'CURRENCY', unit: 'USD', amount: 1.85 },
    destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 100 },
  },
  adjusted_values: {
    source: { unit_type: 'CURRENCY', unit: 'USD', amount: 1.85 },
    destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 100 },
  },
  sender: null,
  beneficiary: null,
  debit_party_identifier: null,
  credit_party_identifier: { mobile_number: '+639171234100' },
  statement_identifier: null,
  additional_identifier: null,
  callback_url: 'https://api.example.com/callbacks/dtone/secret-token',
  unexpected_extra: 42,
  ...overrides,
});

export const sampleDvsBalance = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 1,
  unit_type: 'CURRENCY',
  unit: 'USD',
  available: 1520.75,
  holding: 12.5,
  credit_limit: 100,
  ...overrides,
});
