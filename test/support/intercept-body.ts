/** An intercept record body that passes every check; tests change one thing at a time. */
export function interceptBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    targets: ['212-555-1001'],
    circuit_ids: [],
    type: 'pen_register',
    start_at: '2026-11-20T15:00:00Z',
    le_officer: { name: 'SA Dana Scully', agency: 'FBI Chicago', badge: 'FBI-4471' },
    authorization: {
      signed_by: 'Hon. Ruth Ellis, U.S. Magistrate Judge',
      issuer: 'U.S. District Court, N.D. Illinois',
      docket: '1:26-mj-00417',
      starts: '2026-11-20T00:00:00Z',
      ends: '2027-01-15T00:00:00Z',
      document: { filename: 'order.pdf', media_type: 'application/pdf', content: Buffer.from(`%PDF order ${Math.random()}`).toString('base64') },
    },
    responsible_employee: 'Pat Quinn, Lawful Intercept Manager',
    demand_id: 'LD-20261120-ABC123',
    vendor: 'Acme LI Mediation',
    ...over,
  };
}
