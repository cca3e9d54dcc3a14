// jest's setupFiles: runs in each test file's context before anything it imports, cdktf included.
// cdktf's tokens and constructs' metadata each capture a whole stack trace (their captureStackTrace
// helpers raise Error.stackTraceLimit to Number.MAX_SAFE_INTEGER first), only to say where a token came
// from when it fails to resolve. Under jest, source-map-support maps every frame of each through the
// source maps: 21% of the construct suites' CPU in a profile, before the GC it caused. Synth never
// captures them (src/stack/cdktf-adapter.ts, withoutTokenStackTraces), so neither do the tests; every
// other stack trace (assertions, thrown errors) is captured as before. CDKTF_DEBUG=1 keeps them all.
if (process.env.CDKTF_DEBUG !== '1') {
  const captureStackTrace = Error.captureStackTrace;
  Error.captureStackTrace = (target: object, below?: Function) => {
    if (Error.stackTraceLimit === Number.MAX_SAFE_INTEGER) return;
    captureStackTrace(target, below);
  };
}
