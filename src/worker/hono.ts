import type { ApiTokenView } from './db/api-tokens';
import type { EventRow } from './db/events';
import type { MembershipRow, UserRow } from './db/users';
import type { Env } from './env';

export type AuthUser = Pick<UserRow, 'id' | 'email' | 'name'> & { is_operator: boolean };

/** Hono's type parameter for every sub-app: bindings plus what the middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The request's instant (clock.ts serverNow), read once: every rule a request applies uses it. */
    now: number;
    user: AuthUser;
    sessionId: string;
    event: EventRow;
    membership: MembershipRow;
    /** Set by auth/api-token.ts on the token API (/v1/api); `user` is then the token's principal. */
    apiToken: ApiTokenView;
  };
}
