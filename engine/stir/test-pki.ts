import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tnAuthListDer } from './tn-auth-list.ts';

/**
 * A test STI PKI made with the openssl command (Debian's openssl): a root (the trust
 * anchor an STI-PA list would hold), an intermediate STI-CA, and leaf certificates with a
 * TNAuthList naming each provider's SPC. Test material only, for tests, the demo and
 * `tracehop identity test-pki`; validity dates are chosen so generated calls fall inside.
 */
export interface TestPki {
  readonly dir: string;
  readonly rootPem: string;
  readonly intermediatePem: string;
  readonly intermediateKey: string;
}

const run = (args: string[], cwd: string): string => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

const caConfig = (dir: string): string => `
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ${dir}
database = ${dir}/index.txt
new_certs_dir = ${dir}/issued
serial = ${dir}/serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[ any ]
commonName = supplied
organizationName = optional
countryName = optional
`;

function initCa(dir: string): void {
  mkdirSync(path.join(dir, 'issued'), { recursive: true });
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), `${Date.now().toString(16).padStart(16, '0')}\n`);
  writeFileSync(path.join(dir, 'ca.cnf'), caConfig(dir));
}

const stamp = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

/** Sign `csr` with the CA in `caDir` (cert + key), with the given extensions and validity. */
function issue(caDir: string, caCert: string, caKey: string, csr: string, out: string, ext: string, from: Date, to: Date): void {
  const extFile = path.join(caDir, `${path.basename(out)}.ext`);
  writeFileSync(extFile, `[ext]\n${ext}\n`);
  run(['ca', '-batch', '-config', path.join(caDir, 'ca.cnf'), '-cert', caCert, '-keyfile', caKey, '-in', csr, '-out', out, '-notext', '-startdate', stamp(from), '-enddate', stamp(to), '-extfile', extFile, '-extensions', 'ext'], caDir);
}

export function createTestPki(dir: string, opts: { from?: Date; to?: Date; rootCn?: string } = {}): TestPki {
  mkdirSync(dir, { recursive: true });
  const from = opts.from ?? new Date(Date.UTC(2024, 0, 1));
  const to = opts.to ?? new Date(Date.UTC(2034, 0, 1));
  initCa(dir);
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'root.key'], dir);
  run(['req', '-new', '-key', 'root.key', '-subj', `/CN=${opts.rootCn ?? 'tracehop Test STI Root'}/O=tracehop test`, '-out', 'root.csr'], dir);
  run(['ca', '-batch', '-selfsign', '-config', 'ca.cnf', '-keyfile', 'root.key', '-in', 'root.csr', '-out', 'root.pem', '-notext', '-startdate', stamp(from), '-enddate', stamp(to), '-extfile', writeExt(dir, 'root', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash'), '-extensions', 'ext'], dir);
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'intermediate.key'], dir);
  run(['req', '-new', '-key', 'intermediate.key', '-subj', '/CN=tracehop Test STI-CA/O=tracehop test', '-out', 'intermediate.csr'], dir);
  issue(dir, 'root.pem', 'root.key', 'intermediate.csr', 'intermediate.pem', 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid', from, to);
  return {
    dir,
    rootPem: readFileSync(path.join(dir, 'root.pem'), 'utf8'),
    intermediatePem: readFileSync(path.join(dir, 'intermediate.pem'), 'utf8'),
    intermediateKey: path.join(dir, 'intermediate.key'),
  };
}

function writeExt(dir: string, name: string, body: string): string {
  const f = path.join(dir, `${name}.ext`);
  writeFileSync(f, `[ext]\n${body}\n`);
  return f;
}

/**
 * A leaf STI certificate for `keyFile` (a provider's EC P-256 private key) naming `spc`,
 * issued by the PKI's intermediate (or its root with `by: 'root'`). Returns the leaf PEM.
 */
export function issueLeaf(pki: TestPki, keyFile: string, spc: string, opts: { from?: Date; to?: Date; by?: 'intermediate' | 'root'; tnAuthList?: boolean } = {}): string {
  const name = `leaf-${spc.replace(/[^A-Za-z0-9_-]/g, '_')}-${Math.random().toString(36).slice(2, 8)}`;
  run(['req', '-new', '-key', keyFile, '-subj', `/CN=SHAKEN ${spc}/O=${spc}`, '-out', `${name}.csr`], pki.dir);
  const ext = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    ...(opts.tnAuthList === false ? [] : [`1.3.6.1.5.5.7.1.26=DER:${tnAuthListDer(spc).toString('hex').match(/../g)!.join(':')}`]),
  ].join('\n');
  const by = opts.by ?? 'intermediate';
  issue(pki.dir, `${by}.pem`, `${by}.key`, `${name}.csr`, `${name}.pem`, ext, opts.from ?? new Date(Date.UTC(2024, 0, 1)), opts.to ?? new Date(Date.UTC(2034, 0, 1)));
  return readFileSync(path.join(pki.dir, `${name}.pem`), 'utf8');
}
