import { isPrototypeKey, ownValue, safeRecord } from './safe-record';

describe('safe records (maps keyed by request data)', () => {
  it('never answer with an Object.prototype member', () => {
    const parsed = JSON.parse('{"a.whl": 1}') as Record<string, number>;
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(ownValue(parsed, key)).toBeUndefined();
      expect(safeRecord(parsed)[key]).toBeUndefined();
    }
    expect(ownValue(parsed, 'a.whl')).toBe(1);
  });

  it('keep __proto__ as an ordinary key', () => {
    const map = safeRecord<string>();
    map['__proto__'] = '1.0.0';
    expect(Object.keys(map)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(map))).toEqual(JSON.parse('{"__proto__":"1.0.0"}'));
    expect(safeRecord(JSON.parse('{"__proto__":"x","b":"y"}') as Record<string, string>)['__proto__']).toBe('x');
    expect(safeRecord([['k', 1] as const])['k']).toBe(1);
  });

  it('names the prototype keys', () => {
    expect(isPrototypeKey('constructor')).toBe(true);
    expect(isPrototypeKey('__proto__')).toBe(true);
    expect(isPrototypeKey('toString')).toBe(true);
    expect(isPrototypeKey('latest')).toBe(false);
  });
});
