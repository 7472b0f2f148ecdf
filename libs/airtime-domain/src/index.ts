export { type Currency, currencyOf, knownCurrencies, sameCurrency } from './lib/money/currency';
