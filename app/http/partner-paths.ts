// The partner's questionnaire pages live under /q/: public (no account), rate-limited, bare.
// Pure, no imports: the root route reads it too.

export const PARTNER_PATH_PREFIX = '/q/';

export function isPartnerPath(pathname: string): boolean {
  return pathname.startsWith(PARTNER_PATH_PREFIX);
}
