// What reports are computed from: one row of facts per session, read by storage, and the filter that selects them.

/** The recorded facts of one session that the measures need (instants in UTC). */
export interface SessionFacts {
  sessionId: number;
  topicId: number;
  /** The session's owner now (after any transfer); null when nobody answered. */
  agentId: number | null;
  status: number;
  requestedAt: Date;
  /** When an agent picked it up (the latest pick-up, when a bot handed it back and it was picked up again). */
  startedAt: Date | null;
  endedAt: Date | null;
  /** The customer's first ordinary message. */
  firstCustomerAt: Date | null;
  /** The first ordinary message to the customer posted after the pick-up and after the customer's first message. */
  firstAnswerAt: Date | null;
  /** TransferedSession lines in the conversation. */
  transfers: number;
  /** Bot lines (BotMessage, Options) in the conversation. */
  botLines: number;
  /** 1 to 5; 0 when the customer did not rate. */
  rating: number;
}

/** An offer routing made that its agent declined or let time out, with its session's topic and request time. */
export interface MissedOffer {
  sessionId: number;
  topicId: number;
  /** The agent who missed it (not the session's owner). */
  agentId: number;
  outcome: 'declined' | 'timedOut';
  requestedAt: Date;
}

/** Which sessions: requested in [from, to), optionally of these topics or agents, within what the caller may see. */
export interface FactsFilter {
  from: Date;
  to: Date;
  topicIds?: readonly number[];
  agentIds?: readonly number[];
  /** Non-administrators: sessions of the topics they manage, and their own. Null: everything. */
  visible: { managedTopicIds: readonly number[]; selfId: number } | null;
}

export interface ReportRepository {
  /** The facts of every session (not Deleted) the filter selects, in request order. */
  facts(filter: FactsFilter): Promise<SessionFacts[]>;
  /**
   * The missed offers on the sessions (not Deleted) requested in the range, of the filter's topics; its agents and
   * the caller's own figures are those of the agent who missed the offer.
   */
  missedOffers(filter: FactsFilter): Promise<MissedOffer[]>;
}
