// Parses every ```mermaid block of the Markdown files given with mermaid's own parser, under
// jsdom (mermaid needs a DOM; @mermaid-js/mermaid-cli would download a browser).
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const k of ['Element', 'HTMLElement', 'SVGElement', 'Node', 'DOMParser', 'navigator']) {
  if (!(k in globalThis)) { try { globalThis[k] = dom.window[k]; } catch {} }
}
const mermaid = (await import('mermaid')).default;
mermaid.initialize({ startOnLoad: false });

let failed = 0, count = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const blocks = [...text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map(m => m[1]);
  for (const [i, block] of blocks.entries()) {
    count++;
    try {
      await mermaid.parse(block);
    } catch (e) {
      failed++;
      console.error(`${file}: mermaid block ${i + 1}: ${String(e.message || e).split('\n').slice(0, 3).join(' ')}`);
    }
  }
}
console.log(`mermaid: ${count} blocks parsed, ${failed} failed`);
process.exit(failed ? 1 : 0);
