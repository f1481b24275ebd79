/** UPC-A: 11 data digits and a check digit (GS1 mod-10, weights 3,1,3,... from the left). */
export function upcCheckDigit(elevenDigits: string): number {
  if (!/^\d{11}$/.test(elevenDigits)) throw new Error(`UPC-A needs 11 data digits, got "${elevenDigits}"`);
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += Number(elevenDigits[i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

export function isValidUpcA(upc: string): boolean {
  return /^\d{12}$/.test(upc) && upcCheckDigit(upc.slice(0, 11)) === Number(upc[11]);
}

export function makeUpcA(elevenDigits: string): string {
  return elevenDigits + String(upcCheckDigit(elevenDigits));
}
