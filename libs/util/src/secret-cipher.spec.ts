import { randomBytes } from 'node:crypto';
import { SecretCipher } from './secret-cipher';

describe('SecretCipher', () => {
  const cipher = new SecretCipher(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const stored = cipher.encryptJson({ amcToken: 'amc-secret-token' });
    expect(stored).not.toContain('amc-secret-token');
    expect(stored.startsWith('v1.')).toBe(true);
    expect(cipher.decryptJson(stored)).toEqual({ amcToken: 'amc-secret-token' });
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('detects tampering and a wrong key', () => {
    const stored = cipher.encrypt('value');
    const parts = stored.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    expect(() => cipher.decrypt([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toThrow();
    expect(() => new SecretCipher(randomBytes(32)).decrypt(stored)).toThrow();
  });

  it('rejects a key that is not 256 bits', () => {
    expect(() => new SecretCipher(randomBytes(16))).toThrow(/32-byte/);
  });
});
