// Parley/Reports: the measures over a range, per local period, topic and agent, and the weekday × hour grid.
// JSON, XML or (Accept: text/csv) CSV. Administrators see every chat, topic managers their topics', agents their own.
import { type TSchema, Type } from '@sinclair/typebox';
import { DateTime, Enum, Int } from '../../carriers/kit.ts';
import {
  presentAgentRow,
  presentHour,
  presentMeasures,
  presentPeriod,
  presentTopicRow,
  ReportAgentSchema,
  ReportHourSchema,
  ReportPeriodSchema,
  ReportSummarySchema,
  ReportTopicSchema,
} from '../../carriers/report.carrier.ts';
import { GROUPINGS } from '../../domain/reports/periods.ts';
import type { ReportQuery } from '../../domain/reports/report-scope.ts';
import { agentReport, busiestHoursReport, periodReport, summaryReport, topicReport } from '../../domain/reports/run-reports.ts';
import { badRequest } from '../errors.ts';
import { type AgentContext, defineEndpoint, RequestBody } from '../endpoint.ts';

const REPORTS = '/api/v1/Parley/Reports/';
/** The groupings as a wire enum (a name, any case; decoded by the pipeline), in GROUPINGS order. */
const GroupingEnum = Object.fromEntries(GROUPINGS.map((g, i) => [g, i]));
const RIGHTS = "Administrators: every chat; topic managers: their topics' chats; everyone else: the chats they own";
const RANGE = {
  From: DateTime('The first instant (inclusive); a date alone is local midnight in the SO-TimeZone'),
  To: DateTime('The end (exclusive); at most 400 days after From'),
};
const FILTERS = {
  TopicIds: Type.Array(Int(), { description: 'Only these topics (empty: all the caller may see)' }),
  AgentIds: Type.Array(Int(), { description: 'Only chats these agents own, and routing offers they missed (empty: all)' }),
};
type RangeBody = { From: Date | null; To: Date | null; TopicIds?: number[]; AgentIds?: number[] };

const query = (ctx: AgentContext, b: RangeBody): ReportQuery => {
  if (!b.From || !b.To) throw badRequest('From and To are required');
  return { from: b.From, to: b.To, topicIds: b.TopicIds, agentIds: b.AgentIds, timeZone: ctx.locale.timeZone };
};

/** A report over the range and filters: the declaration all but Periods share. */
const rangeReport = (name: string, summary: string, response: TSchema, run: (ctx: AgentContext, q: ReportQuery) => Promise<unknown>) =>
  defineEndpoint({
    name: `Reports${name}`,
    path: `${REPORTS}${name}`,
    summary,
    rights: RIGHTS,
    csv: true,
    body: RequestBody(`Reports${name}`, RANGE, FILTERS),
    response,
    handle: async (ctx, { body }) => run(ctx, query(ctx, body)),
  });

export const reportEndpoints = [
  rangeReport(
    'Summary',
    'The measures over the whole range: chats requested, answered, missed, offline requests, transfers, bot-only; wait, first response and handling times; ratings.',
    ReportSummarySchema,
    async (ctx, q) => presentMeasures(await summaryReport(ctx.deps, ctx.actor, q)),
  ),
  defineEndpoint({
    name: 'ReportsPeriods',
    path: `${REPORTS}Periods`,
    summary: 'The measures per local hour, day, week (from Monday) or month of the SO-TimeZone, every period of the range listed.',
    rights: RIGHTS,
    csv: true,
    body: RequestBody('ReportsPeriods', { ...RANGE, Grouping: Enum('ParleyReportGrouping', GroupingEnum, 'Hour, Day, Week (from Monday) or Month') }, FILTERS),
    response: Type.Array(ReportPeriodSchema),
    handle: async (ctx, { body }) => (await periodReport(ctx.deps, ctx.actor, query(ctx, body), GROUPINGS[body.Grouping])).map(presentPeriod),
  }),
  rangeReport('Topics', 'The measures per topic, by topic name.', Type.Array(ReportTopicSchema), async (ctx, q) =>
    (await topicReport(ctx.deps, ctx.actor, q)).map(presentTopicRow),
  ),
  rangeReport(
    'Agents',
    'The measures per agent owning the chats (after transfers), by name; chats nobody answered last, as agent 0. Missed routing offers count for the agent who missed them.',
    Type.Array(ReportAgentSchema),
    async (ctx, q) => (await agentReport(ctx.deps, ctx.actor, q)).map(presentAgentRow),
  ),
  rangeReport('BusiestHours', 'Chats requested per local weekday and hour: 168 cells, Monday 00:00 first.', Type.Array(ReportHourSchema), async (ctx, q) =>
    (await busiestHoursReport(ctx.deps, ctx.actor, q)).map(presentHour),
  ),
];
