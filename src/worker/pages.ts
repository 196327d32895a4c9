import type { Context } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/**
 * The Voyage pages a download link can land on (expired, swept, still preparing, no permission,
 * refused). Rendered by the Worker so a link from an email answers in one request, styled like
 * the app: a centered card, max-width 640px, the next step as the primary action.
 */
export interface StatePage {
  testId: string;
  /** Which of the states sharing a page this is (the expired-link page serves link-expired and artifact-swept). */
  reason?: string;
  title: string;
  message: string;
  reportTitle?: string;
  action?: { label: string; href?: string; formAction?: string; testId?: string };
  /** A second way on, as a plain link beside the action. */
  secondary?: { label: string; href: string };
  refreshSeconds?: number;
  /** Where the refresh goes (the page itself when absent). */
  refreshUrl?: string;
}

/** The mark on a download link that asks for the "ready" page (routes/downloads.ts) instead of the file. */
export const SHOW_READY = 'show=ready';

/** A browser navigating (a link in an email, a form) rather than an API client asking for JSON. */
export function wantsHtml(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/html');
}

export function renderStatePage(page: StatePage): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${
  page.refreshSeconds !== undefined
    ? html`<meta http-equiv="refresh" content="${page.refreshUrl ? `${page.refreshSeconds};url=${page.refreshUrl}` : page.refreshSeconds}">`
    : ''
}
<title>${page.title} · Voyage Reports</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: #f5f6f8; color: #1d2330; }
  main { display: grid; place-items: center; min-height: 100vh; padding: 24px; box-sizing: border-box; }
  .card { max-width: 640px; width: 100%; background: #fff; border-radius: 12px; padding: 32px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { margin: 0 0 8px; font-size: 24px; }
  .report { color: #4a5568; margin: 0 0 16px; }
  .btn { display: inline-block; background: #2f5bea; color: #fff; border: 0; border-radius: 8px; padding: 10px 18px; font: inherit; cursor: pointer; text-decoration: none; }
  a.secondary { margin-left: 12px; color: #2f5bea; }
</style>
</head>
<body><main><div class="card" data-test="${page.testId}" data-reason="${page.reason ?? ''}">
<h1>${page.title}</h1>
${page.reportTitle ? html`<p class="report" data-test="download-report-title">${page.reportTitle}</p>` : ''}
<p>${page.message}</p>
${
  page.action?.formAction
    ? html`<form method="post" action="${page.action.formAction}"><button class="btn" type="submit" data-test="${page.action.testId ?? ''}">${page.action.label}</button><a class="secondary" href="/">Back to Voyage</a></form>`
    : page.action?.href
      ? html`<a class="btn" href="${page.action.href}" data-test="${page.action.testId ?? ''}">${page.action.label}</a>${
          page.secondary ? html`<a class="secondary" href="${page.secondary.href}">${page.secondary.label}</a>` : ''
        }`
      : html`<a class="btn" href="/">Back to Voyage</a>`
}
</div></main></body>
</html>`;
}
