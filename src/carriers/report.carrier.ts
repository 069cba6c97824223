// Parley's report rows: the measures (README, "Reports") under one set of names, alone or with what they are per.
import type { Measures, Spread } from '../domain/reports/measures.ts';
import { DateTime, Double, Int, Nullable, Plain, Str, verbatim, type WireObject } from './kit.ts';

const seconds = (what: string) => ({
  [`${what}Average`]: Nullable(Double(`${what} time in seconds: the average (null: none to measure)`)),
  [`${what}Median`]: Nullable(Double(`${what} time in seconds: the median (nearest rank)`)),
  [`${what}P90`]: Nullable(Double(`${what} time in seconds: the 90th percentile (nearest rank)`)),
});

const MEASURES = {
  Requested: Int('Chats requested (sessions created) in the range'),
  Answered: Int('Chats an agent picked up'),
  Missed: Int('Chats never picked up that left the queue or went to the offline form'),
  OfflineRequests: Int('Offline forms sent (ticket requests)'),
  Transfers: Int('Transfers to another agent'),
  BotOnly: Int('Chats a bot answered and no agent picked up'),
  ...seconds('Wait'),
  ...seconds('FirstResponse'),
  ...seconds('Handling'),
  Ratings: Int('Chats the customer rated'),
  RatingAverage: Nullable(Double('The average rating, 1-5 (null: none)')),
  Rating1: Int('Ratings of 1'),
  Rating2: Int('Ratings of 2'),
  Rating3: Int('Ratings of 3'),
  Rating4: Int('Ratings of 4'),
  Rating5: Int('Ratings of 5'),
  OffersDeclined: Int('Routing offers the agent declined (per agent: the agent who declined, not the owner)'),
  OffersTimedOut: Int('Routing offers the agent let time out (per agent: the agent who missed it, not the owner)'),
};

const spreadOut = (what: string, s: Spread) => ({ [`${what}Average`]: s.average, [`${what}Median`]: s.median, [`${what}P90`]: s.p90 });

export const presentMeasures = (m: Measures): WireObject => ({
  Requested: m.requested,
  Answered: m.answered,
  Missed: m.missed,
  OfflineRequests: m.offlineRequests,
  Transfers: m.transfers,
  BotOnly: m.botOnly,
  ...spreadOut('Wait', m.wait),
  ...spreadOut('FirstResponse', m.firstResponse),
  ...spreadOut('Handling', m.handling),
  Ratings: m.ratings,
  RatingAverage: m.ratingAverage,
  Rating1: m.ratingCounts[0],
  Rating2: m.ratingCounts[1],
  Rating3: m.ratingCounts[2],
  Rating4: m.ratingCounts[3],
  Rating5: m.ratingCounts[4],
  OffersDeclined: m.offersDeclined,
  OffersTimedOut: m.offersTimedOut,
});

export const ReportSummarySchema = Plain('ParleyReportSummary', MEASURES, 'The measures over the whole range.');
export const ReportPeriodSchema = Plain(
  'ParleyReportPeriod',
  { Period: DateTime('When the local period (hour, day, week from Monday, month) starts'), ...MEASURES },
  'The measures of the chats requested in one local period.',
);
export const ReportTopicSchema = Plain('ParleyReportTopic', { TopicId: Int(), TopicName: Str(), ...MEASURES }, 'The measures of one topic.');
export const ReportAgentSchema = Plain(
  'ParleyReportAgent',
  { AgentId: Int('The owner of the chats (after transfers), or the agent who missed the offers; 0: chats nobody answered'), AgentName: Str(), ...MEASURES },
  'The measures of the chats one agent owns.',
);
export const ReportHourSchema = Plain(
  'ParleyReportHour',
  { Weekday: Int('1 = Monday … 7 = Sunday, local'), Hour: Int('0-23, local'), Requested: Int('Chats requested') },
  'One cell of the weekday × hour grid.',
);

export const presentPeriod = (r: { start: Date; measures: Measures }): WireObject => ({ Period: r.start, ...presentMeasures(r.measures) });
export const presentTopicRow = (r: { topicId: number; topicName: string; measures: Measures }): WireObject => ({
  TopicId: r.topicId,
  TopicName: r.topicName,
  ...presentMeasures(r.measures),
});
export const presentAgentRow = (r: { agentId: number; agentName: string; measures: Measures }): WireObject => ({
  AgentId: r.agentId,
  AgentName: verbatim(r.agentName),
  ...presentMeasures(r.measures),
});
export const presentHour = (c: { weekday: number; hour: number; requested: number }): WireObject => ({
  Weekday: c.weekday,
  Hour: c.hour,
  Requested: c.requested,
});
