// Every endpoint Parley serves, in one list: routes, the conformance test, the OpenAPI document and the
// reference page are all generated from it.
import { attachmentEndpoints } from './endpoints/attachment.endpoints.ts';
import { adminEndpoints } from './endpoints/admin.endpoints.ts';
import { authEndpoints } from './endpoints/auth.endpoints.ts';
import { lifeCycleEndpoints } from './endpoints/life-cycle.endpoints.ts';
import { messageEndpoints } from './endpoints/message.endpoints.ts';
import { presenceEndpoints } from './endpoints/presence.endpoints.ts';
import { reportEndpoints } from './endpoints/report.endpoints.ts';
import { sessionEndpoints } from './endpoints/session.endpoints.ts';
import { topicAgentEndpoints } from './endpoints/topic-agent.endpoints.ts';
import { topicEndpoints } from './endpoints/topic.endpoints.ts';
import { workspaceEndpoints } from './endpoints/workspace.endpoints.ts';
import { routingEndpoints } from './endpoints/routing.endpoints.ts';
import { visitorEndpoints } from './endpoints/visitor.endpoints.ts';
import type { Endpoint } from './endpoint.ts';

export const agentEndpoints: readonly Endpoint[] = [
  ...sessionEndpoints,
  ...lifeCycleEndpoints,
  ...messageEndpoints,
  ...topicEndpoints,
  ...topicAgentEndpoints,
  ...presenceEndpoints,
];
export const endpoints: readonly Endpoint[] = [
  ...agentEndpoints,
  ...authEndpoints,
  ...adminEndpoints,
  ...workspaceEndpoints,
  ...routingEndpoints,
  ...attachmentEndpoints,
  ...reportEndpoints,
  ...visitorEndpoints,
];
