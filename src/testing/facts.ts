import { FACT_KEYS, type Fact, type FactKey, factValue } from '../domain/diagnosis/evidence.ts';

/** Each fact's value by key (the best-sourced one), for assertions. */
export function factValues(facts: readonly Fact[]): Partial<Record<FactKey, string>> {
  return Object.fromEntries(
    FACT_KEYS.flatMap((k) => (factValue(facts, k) ? [[k, factValue(facts, k)]] : [])),
  );
}
