import { isValidUpcA, makeUpcA, upcCheckDigit } from './upc';

describe('UPC-A', () => {
  it('computes the GS1 check digit of known codes', () => {
    expect(upcCheckDigit('03600029145')).toBe(2);
    expect(makeUpcA('01234567890')).toBe('012345678905');
  });

  it('accepts valid codes and refuses a wrong check digit, length or character', () => {
    expect(isValidUpcA('036000291452')).toBe(true);
    expect(isValidUpcA('036000291453')).toBe(false);
    expect(isValidUpcA('03600029145')).toBe(false);
    expect(isValidUpcA('03600029145a')).toBe(false);
  });

  it('refuses data that is not 11 digits', () => {
    expect(() => upcCheckDigit('123')).toThrow('11 data digits');
  });
});
