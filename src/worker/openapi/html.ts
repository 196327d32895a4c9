// GET /v1/docs: the OpenAPI document as one self-contained page, rendered on the server. No scripts
// and no CDN (the API's CSP allows neither, and the reference must work offline): a list of
// operations grouped by tag, each with its parameters, body, responses, schemas and examples.

import type { JsonSchema } from './document';
import { AUTH_DESCRIPTIONS, type Auth } from './route';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const asRecord = (value: unknown): JsonSchema => (value && typeof value === 'object' ? (value as JsonSchema) : {});
const pretty = (value: unknown) => escapeHtml(JSON.stringify(value, null, 2));
/** `code` spans for backticks in descriptions; everything else is text. */
const prose = (text: string) =>
  escapeHtml(text)
    .split(/\n\n+/)
    .map((p) => `<p>${p.replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('');

const anchor = (method: string, path: string) => `op-${method}-${path.replace(/[^a-zA-Z0-9]+/g, '-')}`;

function schemaBlock(schema: unknown): string {
  const ref = asRecord(schema).$ref;
  if (typeof ref === 'string') {
    const name = ref.split('/').pop() ?? ref;
    return `<p>Schema: <a href="#schema-${escapeHtml(name)}"><code>${escapeHtml(name)}</code></a></p>`;
  }
  return `<details><summary>Schema</summary><pre>${pretty(schema)}</pre></details>`;
}

function mediaBlocks(content: unknown): string {
  return Object.entries(asRecord(content))
    .map(([type, media]) => {
      const m = asRecord(media);
      return `<div class="media"><p class="muted">${escapeHtml(type)}</p>${m.schema ? schemaBlock(m.schema) : ''}${
        m.example === undefined
          ? ''
          : `<details><summary>Example</summary><pre>${typeof m.example === 'string' ? escapeHtml(m.example) : pretty(m.example)}</pre></details>`
      }</div>`;
    })
    .join('');
}

function operationHtml(path: string, method: string, op: JsonSchema): string {
  const params = (op.parameters as JsonSchema[] | undefined) ?? [];
  const security = (op.security as Record<string, string[]>[] | undefined) ?? [];
  const schemes = security.length === 0 ? 'none' : security.map((s) => Object.keys(s).join(' + ')).join(' or ');
  // `x-auth` names the kind of caller (openapi/route.ts): one cookie serves members and operators alike.
  const who = AUTH_DESCRIPTIONS[op['x-auth'] as Auth] as string | undefined;
  const auth = who && who !== 'none' ? `${schemes} — ${who}` : schemes;
  const rows = params
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td><td>${
          p.required ? 'yes' : 'no'
        }</td><td><code>${escapeHtml(JSON.stringify(p.schema))}</code></td></tr>`,
    )
    .join('');
  const body = asRecord(op.requestBody);
  const responses = Object.entries(asRecord(op.responses))
    .map(([status, r]) => {
      const response = asRecord(r);
      return `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(String(response.description ?? ''))}${mediaBlocks(response.content)}</li>`;
    })
    .join('');
  return `<section class="op" id="${anchor(method, path)}">
<h3><span class="method method-${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p><strong>${escapeHtml(String(op.summary ?? ''))}</strong></p>
${typeof op.description === 'string' ? prose(op.description) : ''}
<p class="muted">Authentication: ${escapeHtml(auth)}</p>
${rows ? `<table><caption>Parameters</caption><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Required</th><th scope="col">Schema</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
${body.content ? `<h4>Request body</h4>${mediaBlocks(body.content)}` : ''}
<h4>Responses</h4><ul class="responses">${responses}</ul>
</section>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:980px;margin:0 auto;padding:24px}
h1{margin-top:0}h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:40px}
.op{border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;margin:16px 0}
.op h3{margin:0 0 8px;font-size:16px}
.method{display:inline-block;min-width:56px;text-align:center;border-radius:4px;padding:1px 6px;font-size:12px;color:#fff;background:#57606a}
.method-get{background:#0b6bcb}.method-post{background:#1a7f37}.method-put{background:#9a6700}.method-delete{background:#cf222e}
pre{background:#f6f8fa;border-radius:6px;padding:8px;overflow:auto;font-size:13px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}
table{border-collapse:collapse;margin:8px 0;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:600}
.muted{color:#57606a}.responses{padding-left:20px}.media{margin:4px 0 8px}
nav>ul{columns:22em 2;column-gap:32px;padding-left:20px}nav ul ul{columns:auto;padding-left:16px}
nav li li{break-inside:avoid;overflow-wrap:anywhere;margin:2px 0}a{color:#0b5cad}
`;

export function renderReference(doc: JsonSchema): string {
  const info = asRecord(doc.info);
  const paths = asRecord(doc.paths);
  const tags = ((doc.tags as JsonSchema[] | undefined) ?? []).map((t) => String(t.name));
  const byTag = new Map<string, string[]>(tags.map((t) => [t, []]));
  const toc = new Map<string, string[]>(tags.map((t) => [t, []]));
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, value] of Object.entries(asRecord(item))) {
      const op = asRecord(value);
      const tag = String((op.tags as string[] | undefined)?.[0] ?? 'Other');
      if (!byTag.has(tag)) {
        byTag.set(tag, []);
        toc.set(tag, []);
      }
      byTag.get(tag)?.push(operationHtml(path, method, op));
      toc
        .get(tag)
        ?.push(
          `<li><a href="#${anchor(method, path)}">${method.toUpperCase()} ${escapeHtml(path)}</a> — ${escapeHtml(String(op.summary ?? ''))}</li>`,
        );
    }
  }
  const schemas = Object.entries(asRecord(asRecord(doc.components).schemas))
    .map(
      ([name, schema]) =>
        `<section id="schema-${escapeHtml(name)}"><h3><code>${escapeHtml(name)}</code></h3><pre>${pretty(schema)}</pre></section>`,
    )
    .join('');
  const sections = [...byTag.entries()]
    .filter(([, ops]) => ops.length > 0)
    .map(([tag, ops]) => `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('')}`)
    .join('');
  const contents = [...toc.entries()]
    .filter(([, items]) => items.length > 0)
    .map(([tag, items]) => `<li><a href="#tag-${escapeHtml(tag)}">${escapeHtml(tag)}</a><ul>${items.join('')}</ul></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(String(info.title ?? 'API'))} reference</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(String(info.title ?? 'API'))} <span class="muted">${escapeHtml(String(info.version ?? ''))}</span></h1>
${typeof info.description === 'string' ? prose(info.description) : ''}
<p>Machine-readable: <a href="/v1/openapi.json"><code>/v1/openapi.json</code></a> (OpenAPI ${escapeHtml(String(doc.openapi))}).</p>
<nav aria-label="Operations"><ul>${contents}</ul></nav>
${sections}
<h2 id="schemas">Schemas</h2>${schemas}
</main></body></html>`;
}
