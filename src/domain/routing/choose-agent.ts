// Who gets the next chat: among agents with room (below capacity, not having declined this chat), the lowest
// priority number first (the primary team before overflow agents), then the fewest chats, then whoever has waited
// longest since their last assignment (round-robin among equals), then the lowest id so the choice is total.
import type { RoutingCandidate } from './routing.ts';

export const hasRoom = (c: RoutingCandidate) => c.load < c.capacity;

export function chooseAgent(candidates: readonly RoutingCandidate[]): RoutingCandidate | undefined {
  const open = candidates.filter((c) => hasRoom(c) && !c.declined);
  if (!open.length) return undefined;
  const tier = Math.min(...open.map((c) => c.priority));
  const since = (c: RoutingCandidate) => c.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return open.filter((c) => c.priority === tier).sort((a, b) => a.load - b.load || since(a) - since(b) || a.associateId - b.associateId)[0];
}
