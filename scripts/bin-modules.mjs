// Node module hooks that import `*.bin` files as an ArrayBuffer, as wrangler's Data modules do in
// workerd, so Node-side checks can run Worker code that imports its fonts that way.
// Registered with `register('./bin-modules.mjs', import.meta.url)` from node:module.

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.bin')) return nextLoad(url, context);
  const source = [
    "import { readFileSync } from 'node:fs';",
    `const bytes = readFileSync(new URL(${JSON.stringify(url)}));`,
    'export default bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);',
  ].join('\n');
  return { format: 'module', source, shortCircuit: true };
}
