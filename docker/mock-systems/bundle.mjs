// Bundles the mock systems (mock-systems/serve.ts and everything it imports) into one plain
// ES module at image build time, so the container starts Node on JavaScript: run through tsx,
// every start compiled the TypeScript again and reached "mock systems ready" about twice as late.
// A module that finds a file beside itself (a contract's openapi.yaml, the fault-rule schema,
// swagger-ui-dist through createRequire) keeps its own URL: import.meta.url becomes the URL of
// its source file, which the image keeps at the same path.
// Usage (in the image): node docker/mock-systems/bundle.mjs <project root> <output file>
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const [root = '.', outfile = 'dist/mock-systems.mjs'] = process.argv.slice(2);

await build({
  entryPoints: [resolve(root, 'mock-systems/serve.ts')],
  outfile: resolve(root, outfile),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS packages still call require() for Node's own modules.
  banner: { js: "import { createRequire as __labCreateRequire } from 'node:module'; const require = __labCreateRequire(import.meta.url);" },
  plugins: [
    {
      name: 'own-module-url',
      setup(builder) {
        builder.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
          contents: (await readFile(path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)),
          loader: 'ts',
        }));
      },
    },
  ],
  logLevel: 'warning',
});
