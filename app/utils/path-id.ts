/**
 * The record number in a URL path (/proposals/12), or null. Only plain decimal digits: Number()
 * also reads "0x0c", "12e0", "+12" and "012", which would give one record many addresses.
 */
export function pathId(param: string | undefined): number | null {
  if (param === undefined || !/^[1-9][0-9]{0,15}$/.test(param)) return null;
  const id = Number(param);
  return Number.isSafeInteger(id) ? id : null;
}
