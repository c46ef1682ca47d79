import type { ErrorCode } from '../engine/errors.ts';

/** The one error shape of the API (DESIGN.md): `{"error": {"code", "message", "details"}}`. */
export const errorBody = (code: ErrorCode | string, message: string, details: readonly unknown[] = []) => ({ error: { code, message, details } });
