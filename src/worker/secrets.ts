// Pure: the Worker (config.ts) and the Node-side checks (e2e/production-config.spec.ts) import it.

/** The same list as `secrets.required` in wrangler.jsonc, in every environment (the e2e check keeps them equal). */
export const REQUIRED_SECRETS = ['REPORT_DOWNLOAD_SIGNING_SECRET', 'EMAIL_WEBHOOK_SECRET', 'METRICS_TOKEN'] as const;
