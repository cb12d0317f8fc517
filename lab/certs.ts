/**
 * Test-time TLS material for the hostile lab, made with Debian's `openssl` into a directory the caller
 * owns: a CA (the probe may be told to trust it via NODE_EXTRA_CA_CERTS), a valid leaf for 127.0.0.1
 * signed by it, an expired leaf signed by it (so the error is the expiry, not the issuer), and a
 * self-signed leaf nobody trusts. Nothing is downloaded and no key leaves the directory.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface LabCerts {
  dir: string;
  ca: string;
  valid: { cert: string; key: string };
  expired: { cert: string; key: string };
  selfSigned: { cert: string; key: string };
}

/** `{ ok: false, reason }` when openssl is missing: tests that need certificates skip with that reason. */
export function opensslAvailable(): { ok: true } | { ok: false; reason: string } {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return { ok: true };
  } catch {
    return { ok: false, reason: 'openssl is not installed (Debian package `openssl`)' };
  }
}

function ssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function makeCerts(dir: string): LabCerts {
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl(dir, ['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=t3-lab-test-ca']);
  const leaf = (name: string, days: string): void => {
    ssl(dir, ['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=127.0.0.1']);
    // A negative -days puts notAfter before notBefore: a certificate that has already expired.
    ssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      days,
      '-extfile',
      'san.ext',
    ]);
  };
  leaf('valid', '2');
  leaf('expired', '-1');
  ssl(dir, [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  const pair = (name: string): { cert: string; key: string } => ({
    cert: join(dir, `${name}.pem`),
    key: join(dir, `${name}.key`),
  });
  return { dir, ca: join(dir, 'ca.pem'), valid: pair('valid'), expired: pair('expired'), selfSigned: pair('self') };
}
