// The simulator's default catalogue: four countries, nine operators, fixed
// and ranged products priced in USD. The Philippines carry the denomination
// selector's example: Globe sells 10, 15, 25 and 30 PHP (no 20), Smart sells
// 10, 15, 20 and 30 PHP (no 25). Airtel Nigeria's ranged product requires
// sender fields; the Steam card needs no credit party (it always completes).
import {
  type Currency,
  currencyOf,
  type ExchangeRate,
  type Money,
  parseExchangeRate,
  parseMoney,
} from '@airtime/domain';
import { Either } from 'effect';
import type { Catalogue, SimBenefit, SimFixedProduct, SimProduct, SimRangedProduct } from './catalogue.types';

const currency = (code: string): Currency => Either.getOrThrow(currencyOf(code));
const USD = currency('USD');
const amount = (text: string, of: Currency): Money => Either.getOrThrow(parseMoney(text, of));
const usd = (text: string): Money => amount(text, USD);
const rate = (text: string, destination: Currency): ExchangeRate =>
  Either.getOrThrow(parseExchangeRate(text, USD, destination));

const MOBILE = 1;
const AIRTIME = 11;
const BUNDLE = 12;
const DATA = 13;
const GIFT_CARDS = 4;
const GAMING = 42;

const MOBILE_NUMBER = [['mobile_number']] as const;

interface FixedSpec {
  readonly id: number;
  readonly operatorId: number;
  readonly name: string;
  readonly destination: Money;
  readonly wholesale: string;
  readonly retail: string;
  readonly subserviceId?: number | undefined;
  readonly benefits?: readonly SimBenefit[] | undefined;
  readonly validityDays?: number | undefined;
  readonly tags?: readonly string[] | undefined;
}

const fixed = (spec: FixedSpec): SimFixedProduct => {
  const subserviceId = spec.subserviceId ?? AIRTIME;
  return {
    kind: 'FIXED',
    type: 'FIXED_VALUE_RECHARGE',
    id: spec.id,
    name: spec.name,
    description: `${spec.name} (simulated)`,
    tags: spec.tags ?? [subserviceId === AIRTIME ? 'AIRTIME' : 'DATA'],
    serviceId: MOBILE,
    subserviceId,
    operatorId: spec.operatorId,
    benefits: spec.benefits ?? [{ type: 'TALKTIME', unitType: 'CURRENCY', unit: spec.destination.currency.code }],
    ...(spec.validityDays === undefined ? {} : { validity: { unit: 'DAY' as const, quantity: spec.validityDays } }),
    requiredCreditPartyFields: MOBILE_NUMBER,
    requiredSenderFields: [],
    requiredBeneficiaryFields: [],
    sourceCurrency: USD,
    wholesaleFee: usd('0'),
    retailFee: usd('0'),
    destination: spec.destination,
    wholesale: usd(spec.wholesale),
    retail: usd(spec.retail),
  };
};

interface RangedSpec {
  readonly id: number;
  readonly operatorId: number;
  readonly name: string;
  readonly min: string;
  readonly max: string;
  /** Step in destination major units ("1", "5"). */
  readonly step: string;
  readonly destination: Currency;
  readonly rates: { readonly base: string; readonly wholesale: string; readonly retail: string };
  readonly fee: string;
  readonly requiredSenderFields?: readonly (readonly string[])[] | undefined;
}

const ranged = (spec: RangedSpec): SimRangedProduct => ({
  kind: 'RANGED',
  type: 'RANGED_VALUE_RECHARGE',
  id: spec.id,
  name: spec.name,
  description: `${spec.name} (simulated)`,
  tags: ['AIRTIME', 'OPEN_RANGE'],
  serviceId: MOBILE,
  subserviceId: AIRTIME,
  operatorId: spec.operatorId,
  benefits: [{ type: 'TALKTIME', unitType: 'CURRENCY', unit: spec.destination.code }],
  requiredCreditPartyFields: MOBILE_NUMBER,
  requiredSenderFields: spec.requiredSenderFields ?? [],
  requiredBeneficiaryFields: [],
  sourceCurrency: USD,
  wholesaleFee: usd(spec.fee),
  retailFee: usd(spec.fee),
  destinationMin: amount(spec.min, spec.destination),
  destinationMax: amount(spec.max, spec.destination),
  stepMinor: amount(spec.step, spec.destination).amountMinor,
  baseRate: rate(spec.rates.base, spec.destination),
  wholesaleRate: rate(spec.rates.wholesale, spec.destination),
  retailRate: rate(spec.rates.retail, spec.destination),
});

const PHP = currency('PHP');
const KES = currency('KES');
const NGN = currency('NGN');
const SGD = currency('SGD');

const php = (text: string) => amount(text, PHP);
const kes = (text: string) => amount(text, KES);
const ngn = (text: string) => amount(text, NGN);
const sgd = (text: string) => amount(text, SGD);

const dataBenefit = (megabytes: string): SimBenefit => ({
  type: 'DATA',
  unitType: 'DATA',
  unit: 'MB',
  amount: megabytes,
});

const products: readonly SimProduct[] = [
  // Philippines: Globe 10, 15, 25, 30 (no 20); Smart 10, 15, 20, 30 (no 25)
  fixed({ id: 101, operatorId: 1, name: 'Globe PHP 10', destination: php('10'), wholesale: '0.19', retail: '0.21' }),
  fixed({ id: 102, operatorId: 1, name: 'Globe PHP 15', destination: php('15'), wholesale: '0.28', retail: '0.31' }),
  fixed({ id: 103, operatorId: 1, name: 'Globe PHP 25', destination: php('25'), wholesale: '0.46', retail: '0.51' }),
  fixed({ id: 104, operatorId: 1, name: 'Globe PHP 30', destination: php('30'), wholesale: '0.55', retail: '0.61' }),
  fixed({
    id: 105,
    operatorId: 1,
    name: 'Globe GoSURF 50',
    destination: php('50'),
    wholesale: '0.92',
    retail: '1.01',
    subserviceId: DATA,
    benefits: [dataBenefit('1024')],
    validityDays: 7,
  }),
  fixed({ id: 201, operatorId: 2, name: 'Smart PHP 10', destination: php('10'), wholesale: '0.19', retail: '0.21' }),
  fixed({ id: 202, operatorId: 2, name: 'Smart PHP 15', destination: php('15'), wholesale: '0.28', retail: '0.31' }),
  fixed({ id: 203, operatorId: 2, name: 'Smart PHP 20', destination: php('20'), wholesale: '0.37', retail: '0.41' }),
  fixed({ id: 204, operatorId: 2, name: 'Smart PHP 30', destination: php('30'), wholesale: '0.55', retail: '0.61' }),
  fixed({
    id: 205,
    operatorId: 2,
    name: 'Smart GIGA 99',
    destination: php('99'),
    wholesale: '1.80',
    retail: '1.98',
    subserviceId: BUNDLE,
    benefits: [dataBenefit('2048'), { type: 'SMS', unitType: 'QUANTITY', unit: 'SMS', amount: '100' }],
    validityDays: 7,
    tags: ['BUNDLE'],
  }),
  // Kenya: Safaricom fixed and ranged, Airtel ranged on a 5 KES grid
  fixed({
    id: 301,
    operatorId: 3,
    name: 'Safaricom KES 50',
    destination: kes('50'),
    wholesale: '0.40',
    retail: '0.44',
  }),
  fixed({
    id: 302,
    operatorId: 3,
    name: 'Safaricom KES 100',
    destination: kes('100'),
    wholesale: '0.80',
    retail: '0.88',
  }),
  ranged({
    id: 303,
    operatorId: 3,
    name: 'Safaricom KES 10-10000',
    min: '10',
    max: '10000',
    step: '1',
    destination: KES,
    rates: { base: '129.5', wholesale: '128.2', retail: '125' },
    fee: '0.05',
  }),
  ranged({
    id: 401,
    operatorId: 4,
    name: 'Airtel Kenya KES 10-5000',
    min: '10',
    max: '5000',
    step: '5',
    destination: KES,
    rates: { base: '129.5', wholesale: '127.5', retail: '124' },
    fee: '0',
  }),
  // Nigeria: MTN fixed and ranged, Airtel ranged with sender fields required
  fixed({
    id: 501,
    operatorId: 5,
    name: 'MTN Nigeria NGN 100',
    destination: ngn('100'),
    wholesale: '0.07',
    retail: '0.08',
  }),
  fixed({
    id: 502,
    operatorId: 5,
    name: 'MTN Nigeria NGN 200',
    destination: ngn('200'),
    wholesale: '0.14',
    retail: '0.16',
  }),
  fixed({
    id: 503,
    operatorId: 5,
    name: 'MTN Nigeria NGN 500',
    destination: ngn('500'),
    wholesale: '0.34',
    retail: '0.38',
  }),
  fixed({
    id: 504,
    operatorId: 5,
    name: 'MTN Nigeria NGN 1000',
    destination: ngn('1000'),
    wholesale: '0.68',
    retail: '0.75',
  }),
  ranged({
    id: 505,
    operatorId: 5,
    name: 'MTN Nigeria NGN 50-50000',
    min: '50',
    max: '50000',
    step: '50',
    destination: NGN,
    rates: { base: '1550', wholesale: '1530', retail: '1500' },
    fee: '0.02',
  }),
  ranged({
    id: 601,
    operatorId: 6,
    name: 'Airtel Nigeria NGN 50-20000',
    min: '50',
    max: '20000',
    step: '1',
    destination: NGN,
    rates: { base: '1550', wholesale: '1525.5', retail: '1490' },
    fee: '0',
    requiredSenderFields: [['first_name', 'last_name']],
  }),
  // Singapore: the reference's sandbox examples (+6595123100...) are Singtel numbers here
  fixed({ id: 701, operatorId: 7, name: 'Singtel SGD 10', destination: sgd('10'), wholesale: '7.60', retail: '8.00' }),
  fixed({
    id: 702,
    operatorId: 7,
    name: 'Singtel SGD 20',
    destination: sgd('20'),
    wholesale: '15.10',
    retail: '15.90',
  }),
  fixed({
    id: 703,
    operatorId: 7,
    name: 'Singtel SGD 50',
    destination: sgd('50'),
    wholesale: '37.50',
    retail: '39.40',
  }),
  fixed({ id: 801, operatorId: 8, name: 'StarHub SGD 10', destination: sgd('10'), wholesale: '7.65', retail: '8.05' }),
  fixed({
    id: 802,
    operatorId: 8,
    name: 'StarHub SGD 18',
    destination: sgd('18'),
    wholesale: '13.70',
    retail: '14.40',
  }),
  fixed({
    id: 803,
    operatorId: 8,
    name: 'StarHub SGD 28',
    destination: sgd('28'),
    wholesale: '21.30',
    retail: '22.40',
  }),
  {
    ...fixed({
      id: 901,
      operatorId: 9,
      name: 'Steam Wallet SGD 20',
      destination: sgd('20'),
      wholesale: '15.30',
      retail: '16.00',
    }),
    type: 'FIXED_VALUE_PIN_PURCHASE',
    serviceId: GIFT_CARDS,
    subserviceId: GAMING,
    tags: ['GIFT_CARD'],
    benefits: [{ type: 'CREDITS', unitType: 'CURRENCY', unit: 'SGD' }],
    requiredCreditPartyFields: [],
    pin: {
      usageInfo: ['Sign in to Steam', 'Open "Redeem a Steam Wallet Code" and enter the code'],
      validity: { unit: 'MONTH', quantity: 12 },
      terms: 'Simulated card: redeemable nowhere.',
    },
  },
];

export const DEFAULT_CATALOGUE: Catalogue = {
  services: [
    {
      id: MOBILE,
      name: 'Mobile',
      subservices: [
        { id: AIRTIME, name: 'Airtime' },
        { id: BUNDLE, name: 'Bundle' },
        { id: DATA, name: 'Data' },
      ],
    },
    { id: GIFT_CARDS, name: 'Gift Cards', subservices: [{ id: GAMING, name: 'Gaming' }] },
  ],
  countries: [
    {
      isoCode: 'KEN',
      isoAlpha2: 'KE',
      name: 'Kenya',
      callingCode: '254',
      regions: [
        { name: 'Nairobi City', code: 'KE-30' },
        { name: 'Mombasa', code: 'KE-28' },
        { name: 'Kisumu', code: 'KE-17' },
      ],
    },
    {
      isoCode: 'NGA',
      isoAlpha2: 'NG',
      name: 'Nigeria',
      callingCode: '234',
      regions: [
        { name: 'Lagos', code: 'NG-LA' },
        { name: 'Federal Capital Territory', code: 'NG-FC' },
        { name: 'Kano', code: 'NG-KN' },
      ],
    },
    {
      isoCode: 'PHL',
      isoAlpha2: 'PH',
      name: 'Philippines',
      callingCode: '63',
      regions: [
        { name: 'National Capital Region', code: 'PH-00' },
        { name: 'Cebu', code: 'PH-CEB' },
        { name: 'Davao del Sur', code: 'PH-DAS' },
      ],
    },
    {
      isoCode: 'SGP',
      isoAlpha2: 'SG',
      name: 'Singapore',
      callingCode: '65',
      regions: [
        { name: 'Central Singapore', code: 'SG-01' },
        { name: 'North East', code: 'SG-02' },
        { name: 'North West', code: 'SG-03' },
        { name: 'South East', code: 'SG-04' },
        { name: 'South West', code: 'SG-05' },
      ],
    },
  ],
  operators: [
    {
      id: 1,
      name: 'Globe Telecom',
      countryIso: 'PHL',
      numberPrefixes: ['+63905', '+63906', '+63915', '+63916', '+63917', '+63926', '+63927', '+63935'],
    },
    {
      id: 2,
      name: 'Smart',
      countryIso: 'PHL',
      numberPrefixes: ['+63908', '+63918', '+63919', '+63920', '+63921', '+63928', '+63929', '+63939'],
    },
    { id: 3, name: 'Safaricom', countryIso: 'KEN', numberPrefixes: ['+25470', '+25471', '+25472', '+25479'] },
    {
      id: 4,
      name: 'Airtel Kenya',
      countryIso: 'KEN',
      numberPrefixes: ['+25473', '+25475', '+25478'],
      regionCodes: ['KE-30', 'KE-28'],
    },
    {
      id: 5,
      name: 'MTN Nigeria',
      countryIso: 'NGA',
      numberPrefixes: ['+234703', '+234803', '+234806', '+234813', '+234816'],
    },
    {
      id: 6,
      name: 'Airtel Nigeria',
      countryIso: 'NGA',
      numberPrefixes: ['+234701', '+234708', '+234802', '+234808', '+234812'],
    },
    { id: 7, name: 'Singtel', countryIso: 'SGP', numberPrefixes: ['+659'] },
    { id: 8, name: 'StarHub', countryIso: 'SGP', numberPrefixes: ['+658'] },
    { id: 9, name: 'Steam', countryIso: 'SGP', numberPrefixes: [] },
  ],
  products,
  promotions: [
    {
      id: 1,
      title: 'Globe Double Load',
      description: 'Twice the talktime on Globe PHP 25 and PHP 30 loads (simulated: no bonus is credited).',
      terms: 'Simulated promotion. One per number per day.',
      startDate: '2026-01-01T00:00:00Z',
      endDate: '2030-12-31T23:59:59Z',
      operatorId: 1,
      productIds: [103, 104],
    },
    {
      id: 2,
      title: 'Safaricom Holiday Bonus',
      description: 'Bonus airtime on Safaricom KES 100 over the holidays (simulated, ended).',
      terms: 'Simulated promotion.',
      startDate: '2025-12-15T00:00:00Z',
      endDate: '2026-01-05T23:59:59Z',
      operatorId: 3,
      productIds: [302],
    },
  ],
  campaigns: [
    {
      id: 1,
      title: 'Data for Everyone',
      description: 'Data bundles of Globe and Smart (simulated).',
      terms: 'Simulated campaign.',
      startDate: '2026-01-01T00:00:00Z',
      endDate: '2030-12-31T23:59:59Z',
      productIds: [105, 205],
    },
  ],
};
