/** API roles (DESIGN.md "API"); every route names the roles it admits. */
export const ROLES = ['admin', 'analyst', 'itg', 'legal', 'cpni_officer', 'senior_officer', 'auditor', 'le_officer'] as const;
export type Role = (typeof ROLES)[number];
