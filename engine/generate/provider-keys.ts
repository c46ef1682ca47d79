import { createECDH, createHmac, createPrivateKey, type KeyObject } from 'node:crypto';

/**
 * Test signing keys, one EC P-256 key per signing provider, derived from the seed so a
 * corpus is reproducible: private scalar = HMAC-SHA256(seed, provider), public point from
 * it. Test keys only: a carrier's real STI key never comes from here.
 */
export function providerKey(seed: number, provider: string): KeyObject {
  for (let counter = 0; ; counter++) {
    const d = createHmac('sha256', `tracehop-test-key-${seed}`).update(`${provider}#${counter}`).digest();
    try {
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(d);
      const pub = ecdh.getPublicKey(); // 0x04 || X || Y
      return createPrivateKey({
        key: { kty: 'EC', crv: 'P-256', d: d.toString('base64url'), x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33, 65).toString('base64url') },
        format: 'jwk',
      });
    } catch {
      // d outside [1, n-1]: vanishingly rare; try the next counter
    }
  }
}

export const x5uFor = (provider: string): string => `https://sti.${provider.toLowerCase()}.example/cert.pem`;
