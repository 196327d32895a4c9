/** Lone UTF-16 surrogates: encodeURIComponent throws on them, and no file system wants them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `attachment` with an ASCII fallback name plus the exact UTF-8 name (RFC 6266), for every file we
 * serve (report downloads, the direct orders export): no quote, semicolon, CR/LF or path character
 * of a name (an event slug, say) gets into the header as itself.
 */
export function contentDisposition(fileName: string): string {
  const wellFormed = fileName.replace(LONE_SURROGATE, '\uFFFD');
  const ascii = wellFormed.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(wellFormed)}`;
}
