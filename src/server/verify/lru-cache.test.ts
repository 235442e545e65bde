import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.ts';

describe('LruCache', () => {
  it('drops the least recently used entry past its capacity, through onEvict', () => {
    const evicted: string[] = [];
    const cache = new LruCache<string, number>(2, (value, key) => evicted.push(`${key}=${value}`));
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(evicted).toEqual(['b=2']);
    expect([...cache.values()]).toEqual([1, 3]);
    expect(cache.size).toBe(2);
  });

  it('a replaced value is evicted; clear() evicts everything', () => {
    const evicted: number[] = [];
    const cache = new LruCache<string, number>(3, (value) => evicted.push(value));
    cache.set('a', 1);
    cache.set('a', 2);
    cache.set('b', 3);
    cache.clear();
    expect(evicted).toEqual([1, 2, 3]);
    expect(cache.size).toBe(0);
  });

  it('refuses a capacity below one', () => {
    expect(() => new LruCache(0, () => undefined)).toThrow(RangeError);
  });
});
