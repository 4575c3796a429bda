// TRUST_PROXY: how the client address is found behind a reverse proxy. Sign-in
// throttling counts by that address, so only hops we run may add to it: a hop
// count ("1": the nearest proxy's X-Forwarded-For entry) or the proxies'
// addresses ("10.0.0.2, 10.0.0.3" or express names such as "loopback").
// Never "trust every hop": the leftmost entry is whatever the client wrote.

export function trustProxySetting(raw: string | undefined): number | string[] | false {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false' || value === '0') return false;
  // The old boolean form meant "one proxy in front".
  if (value === 'true') return 1;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
