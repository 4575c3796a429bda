/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ['**/.*', '**/*.test.*'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  // Packages made of hundreds of small modules are bundled: loading them file by file is
  // most of a start's time (see scripts/build.mjs). The others stay external.
  serverDependenciesToBundle: [/^kysely(\/|$)/, /^zod(\/|$)/, /^@conform-to\/zod(\/|$)/],
  watchPaths: ['./db/**/*', './workflows/**/*'],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
  },
};
