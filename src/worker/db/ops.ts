export interface OpsSettings {
  runner_paused: boolean;
  new_requests_disabled: boolean;
  updated_by: string | null;
  updated_at: number;
}

interface OpsSettingsRow {
  runner_paused: number;
  new_requests_disabled: number;
  updated_by: string | null;
  updated_at: number;
}

const fromRow = (row: OpsSettingsRow | null): OpsSettings => ({
  runner_paused: row?.runner_paused === 1,
  new_requests_disabled: row?.new_requests_disabled === 1,
  updated_by: row?.updated_by ?? null,
  updated_at: row?.updated_at ?? 0,
});

export function readOpsSettingsStatement(db: D1Database): D1PreparedStatement {
  return db.prepare('SELECT * FROM ops_settings WHERE id = 1');
}

export async function readOpsSettings(db: D1Database): Promise<OpsSettings> {
  return fromRow(await readOpsSettingsStatement(db).first<OpsSettingsRow>());
}

/** The settings from a batch's result of readOpsSettingsStatement. */
export function opsSettingsOf(result: D1Result | undefined): OpsSettings {
  return fromRow((result?.results?.[0] as OpsSettingsRow | undefined) ?? null);
}

export function updateOpsSettingsStatement(
  db: D1Database,
  change: { runner_paused: boolean; new_requests_disabled: boolean; updated_by: string; now: number },
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE ops_settings SET runner_paused = ?, new_requests_disabled = ?, updated_by = ?, updated_at = ?
        WHERE id = 1 RETURNING *`,
    )
    .bind(change.runner_paused ? 1 : 0, change.new_requests_disabled ? 1 : 0, change.updated_by, change.now);
}
