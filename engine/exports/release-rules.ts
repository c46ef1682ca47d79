import type { LEGAL_PROCESSES } from '../demands/demand-schema.ts';
import { thError } from '../errors.ts';

/**
 * What a legal process lets leave the building (the carrier's policy over the Stored
 * Communications Act). Call records are connection records, never content: tracehop holds
 * no content at all. Checked when an export is requested and again when it is approved
 * (a protective order can be withdrawn, a demand rejected, in between).
 */
type LegalProcess = (typeof LEGAL_PROCESSES)[number];

export interface ReleaseRule {
  /** call records (connection records) may be produced */
  readonly releases: boolean;
  /** a protective order must be on file first */
  readonly needsProtectiveOrder: boolean;
  /** the law that decides, quoted in refusals and the manifest */
  readonly basis: string;
}

const records = (basis: string): ReleaseRule => ({ releases: true, needsProtectiveOrder: false, basis });
const none = (basis: string): ReleaseRule => ({ releases: false, needsProtectiveOrder: false, basis });

export const RELEASE_RULES: Readonly<Record<LegalProcess, ReleaseRule>> = {
  // 18 U.S.C. 2703(c)(2): a subpoena reaches subscriber information and connection records
  grand_jury_subpoena: records('18 U.S.C. 2703(c)(2): subpoena, subscriber information and connection records'),
  administrative_subpoena: records('18 U.S.C. 2703(c)(2): administrative subpoena, subscriber information and connection records'),
  // 18 U.S.C. 2702(c)(6) lets records go to a private party; carrier policy: only under a protective order
  civil_subpoena: { releases: true, needsProtectiveOrder: true, basis: '18 U.S.C. 2702(c)(6) and carrier policy: civil subpoena with a protective order on file' },
  court_order_2703d: records('18 U.S.C. 2703(c)(1)(B), 2703(d): court order, records'),
  search_warrant: records('18 U.S.C. 2703(c)(1)(A): warrant, records'),
  emergency_disclosure: records('18 U.S.C. 2702(c)(4): emergency involving danger of death or serious physical injury'),
  // 18 U.S.C. 2703(f): a preservation request preserves; disclosure needs further process
  preservation_request: none('18 U.S.C. 2703(f): a preservation request preserves records, it does not compel their disclosure; serve further process'),
  // prospective collection and content: intercepts (47 CFR 1.20004), never a stored-records export
  pen_register: none('18 U.S.C. 3121-3127: a pen register is prospective collection, handled as an intercept, not an export of stored records'),
  trap_and_trace: none('18 U.S.C. 3121-3127: a trap and trace device is prospective collection, handled as an intercept, not an export of stored records'),
  title_iii: none('18 U.S.C. 2518: a Title III order is for content, handled as an intercept; tracehop stores no content'),
  fisa: none('50 U.S.C. 1805: a FISA order is handled as an intercept, not an export of stored records'),
};

/** Demands in these states may still be answered; rejected, withdrawn and fulfilled ones are closed. */
export const OPEN_DEMAND_STATUSES = ['received', 'in_review'] as const;

export interface DemandFacts {
  readonly id: string;
  readonly status: string;
  readonly legal_process: string;
  readonly protective_order_on_file: boolean;
}

/** Throws the code of the first rule the demand breaks; returns the rule that allows release. */
export function checkRelease(d: DemandFacts): ReleaseRule {
  if (!(OPEN_DEMAND_STATUSES as readonly string[]).includes(d.status)) {
    throw thError('TH_EXPORT_DEMAND_STATUS', `demand ${d.id} is ${d.status}: nothing is produced for a closed demand`, { details: [{ path: 'demand_id', demand_status: d.status }] });
  }
  const rule = RELEASE_RULES[d.legal_process as LegalProcess];
  if (!rule || !rule.releases) {
    throw thError('TH_EXPORT_PROCESS', `a ${d.legal_process} does not permit the release of stored call records: ${rule?.basis ?? 'unknown legal process'}`, {
      details: [{ path: 'demand_id', legal_process: d.legal_process, basis: rule?.basis ?? null }],
    });
  }
  if (rule.needsProtectiveOrder && !d.protective_order_on_file) {
    throw thError('TH_EXPORT_PROTECTIVE_ORDER', `demand ${d.id} is a civil subpoena without a protective order on file: attach one to the demand first`, {
      details: [{ path: 'demand_id', legal_process: d.legal_process, protective_order_on_file: false }],
    });
  }
  return rule;
}
