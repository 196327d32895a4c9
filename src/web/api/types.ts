/**
 * The API's response shapes, inferred from the zod schemas the server answers with and publishes
 * (src/worker/openapi/schemas.ts, src/worker/metrics/overview-schema.ts): one source, no copy to
 * keep in step. Type-only imports: nothing of the server, not even zod, enters the bundle.
 */
import type { z } from 'zod';
import type * as O from '../../worker/metrics/overview-schema';
import type * as S from '../../worker/openapi/schemas';

export type User = z.infer<typeof S.authUser>;
export type Membership = z.infer<typeof S.membership>;
export type Role = Membership['role'];
/** The body of POST /v1/auth/login; GET /v1/auth/session answers the same with `user: null` when signed out. */
export type Session = z.infer<typeof S.signedInResponse>;
export type SessionResponse = z.infer<typeof S.sessionResponse>;
export type InvitationInfo = z.infer<typeof S.invitationInfo>;
export type AcceptResult = z.infer<typeof S.acceptResponse>;

export type EventList = z.infer<typeof S.eventList>;
export type EventSummary = EventList['data'][number];
/** GET /v1/admin/events/:id: the event with the caller's role in its workspace. */
export type EventDetail = z.infer<typeof S.eventDetail>;

export type Job = z.infer<typeof S.job>;
export type JobList = z.infer<typeof S.jobList>;
export type JobStatus = Job['status'];
export type JobPhase = NonNullable<Job['phase']>;
export type JobParams = Job['params'];
export type JobArtifact = NonNullable<Job['artifact']>;
export type ReportFormat = Job['format'];
/** Reports the caller may still ask for today (failed and cancelled ones do not count). */
export type ReportQuota = JobList['quota'];
export type CancelResult = z.infer<typeof S.cancelResponse>;
export type CancelOutcome = CancelResult['outcome'];
export type ReportCatalog = z.infer<typeof S.catalogResponse>;
/** One entry of the catalog (already filtered by the caller's role). */
export type ReportType = ReportCatalog['data'][number];
export type ReportEstimate = z.infer<typeof S.estimateResponse>;
export type Recipient = z.infer<typeof S.recipientList>['data'][number];
export type OkMessage = z.infer<typeof S.okMessage>;

export type OrderList = z.infer<typeof S.orderList>;
export type OrderColumn = OrderList['columns'][number];
export type OrderFilterChoices = z.infer<typeof S.orderFilters>;
export type OrderExportResult = z.infer<typeof S.orderExportResponse>;

export type Overview = z.infer<typeof O.overviewResponse>;
export type OverviewRange = Overview['range'];
export type OverviewPoint = z.infer<typeof O.overviewPoint>;
export type OpsSettings = z.infer<typeof S.opsSettings>;

export type ApiToken = z.infer<typeof S.apiToken>;
export type ApiTokenList = z.infer<typeof S.apiTokenList>;
export type ApiTokenCreated = z.infer<typeof S.apiTokenCreated>;
export type TokenRole = ApiToken['role'];
export type Members = z.infer<typeof S.members>;
export type Member = Members['data'][number];
export type OpenInvitation = Members['invitations'][number];
export type InvitationCreated = z.infer<typeof S.invitationCreated>;
