import { ValidationError } from 'class-validator';
import { fieldsWithNul, flattenValidationErrors } from './validation';

describe('flattenValidationErrors', () => {
  it('gives dotted paths for nested fields', () => {
    const nested = Object.assign(new ValidationError(), { property: 'baseUrl', constraints: { isUrl: 'baseUrl must be a URL address' } });
    const amc = Object.assign(new ValidationError(), { property: 'amc', children: [nested] });
    const name = Object.assign(new ValidationError(), { property: 'name', constraints: { isString: 'name must be a string' } });
    expect(flattenValidationErrors([name, amc])).toEqual([
      { field: 'name', errors: ['name must be a string'] },
      { field: 'amc.baseUrl', errors: ['baseUrl must be a URL address'] },
    ]);
  });
});

describe('fieldsWithNul', () => {
  it('names every string, key and array item holding a NUL character, however deep', () => {
    expect(fieldsWithNul({ name: 'a\u0000b', joor: { accountId: '\u0000', clientId: 'ok' }, list: ['x', 'y\u0000'], 'k\u0000': 1 })).toEqual(['name', 'joor.accountId', 'list.1', 'k\u0000']);
    expect(fieldsWithNul('\u0000')).toEqual(['(value)']);
  });

  it('passes text without one, and non-text values', () => {
    expect(fieldsWithNul({ name: 'Ünïcødé 🙂', n: 1, b: true, z: null, list: [] })).toEqual([]);
    expect(fieldsWithNul(undefined)).toEqual([]);
  });
});
