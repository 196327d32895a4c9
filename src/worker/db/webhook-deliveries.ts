/** How far a webhook's signed timestamp may be from our clock, either way. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

/**
 * Records a delivery by its signature; false when that signature was seen before (a replay). Kept
 * for twice the tolerance: an older replay is refused by its timestamp anyway.
 */
export async function recordWebhookDelivery(db: D1Database, signature: string, now: number): Promise<boolean> {
  const row = await db
    .prepare(
      'INSERT INTO webhook_deliveries (signature, received_at) VALUES (?, ?) ON CONFLICT (signature) DO NOTHING RETURNING signature',
    )
    .bind(signature, now)
    .first();
  return row !== null;
}

export async function pruneWebhookDeliveries(db: D1Database, now: number): Promise<number> {
  const result = await db
    .prepare('DELETE FROM webhook_deliveries WHERE received_at < ?')
    .bind(now - 2 * WEBHOOK_TOLERANCE_MS)
    .run();
  return result.meta.changes;
}
