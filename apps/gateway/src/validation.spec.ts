import { ValidationError } from 'class-validator';
import { flattenValidationErrors } from './validation';

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
