// The CLI as one ES module graph bundled into a few files (dist/bundle/), after tsc has compiled
// dist/src: Node 20 loads ES modules one by one (resolve, read, link), and `lint` imports 124 of
// them: ~75 ms of CPU per run before the first frame, against ~0.15 s for the whole run on a small
// capture. bin/wirelens imports dist/bundle/main.js; the worker threads' entry points are bundled
// beside it under the names the pools start them by (`new URL('./worker.js', import.meta.url)`).
export default {
  input: {
    main: 'dist/src/cli/main.js',
    worker: 'dist/src/lint/worker.js',
    'export-worker': 'dist/src/cli/export-worker.js',
  },
  platform: 'node',
  // blessed is CommonJS and loaded only by `open`/`live`: left to Node's require.
  external: ['blessed', /^node:/],
  output: {
    dir: 'dist/bundle',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
  },
};
