/** A demand body that passes every rule; tests change one thing at a time. */
let n = 0;
export function demandBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return {
    agency: { name: 'Springfield Police Department', address: '742 Evergreen Terrace, Springfield, IL 62704', email: 'records@springfield-pd.example', phone: '217-555-0100' },
    officer: { name: 'Det. Lisa Hoover', email: 'lhoover@springfield-pd.example', phone: '217-555-0142' },
    legal_process: 'grand_jury_subpoena',
    received_via: 'email',
    subject: 'Subpoena for call records',
    exigent: false,
    target_numbers: ['212-555-1234', '312-555-5678'],
    date_from: '10/01/2026',
    date_to: '10/31/2026',
    description: 'Call detail records for the numbers above.',
    documents: [{ filename: 'subpoena.pdf', media_type: 'application/pdf', content: Buffer.from(`%PDF-1.4 subpoena ${n} ${Date.now()} ${Math.random()}`).toString('base64') }],
    ...over,
  };
}
