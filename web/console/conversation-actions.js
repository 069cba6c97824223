// What the open conversation can do, for conversation.js: pick up, send, transfer, accept or reject a transfer,
// close, quick replies, typing, notes, the visitor panel, files. Each goes through the public agent API; `inbox`
// gives the console's state and how to show what came back.
import { agent, parley, xsrfToken } from './api.js';
import { uploadFile } from '../shared/files.js';

/** `inbox`: {state, upsert, reloadInbox, refreshMessages, addMessages, open, notify, attempt} from main.js. */
export function createConversationActions({ state, upsert, reloadInbox, refreshMessages, addMessages, open, notify, attempt }) {
  return {
    pickUp: attempt(async (id) => {
      const session = await agent('PickUpChatSession', { ChatSessionId: id });
      if (!session) { notify('Someone else picked this chat up first.'); await reloadInbox(); return; }
      upsert(session);
      await refreshMessages();
    }),
    send: attempt(async (id, text) => {
      addMessages([await agent('AddChatMessage', { ChatSessionId: id, Message: { Message: text } })]);
    }),
    transfer: attempt(async (id, userName) => upsert(await agent('TransferChatSession', { ChatSessionId: id, ToAssociate: userName }))),
    accept: attempt(async (id) => { upsert(await agent('AcceptChatSessionTransfer', { ChatSessionId: id })); await refreshMessages(); }),
    reject: attempt(async (id) => upsert(await agent('RejectChatSessionTransfer', { ChatSessionId: id }))),
    close: attempt(async (id) => {
      const session = state.sessions.get(id);
      upsert(await agent('SaveChatSessionEntity', { ChatSessionId: id, TopicId: session.TopicId, Status: 'Finished' }));
      await refreshMessages();
    }),
    replies: (session) => parley('CannedResponses', 'List', { TopicId: session.TopicId }),
    renderReply: (replyId, sessionId) => parley('CannedResponses', 'Render', { Id: replyId, ChatSessionId: sessionId }),
    // Best effort: a lost typing flag is no reason to interrupt the agent.
    typing: (session, on) => agent('SaveChatSessionEntity', { ChatSessionId: session.ChatSessionId, TopicId: session.TopicId, Flags: on ? 'UserIsTyping' : 'CustomerIsTyping' }).catch(() => {}),
    notes: {
      list: (id) => parley('Notes', 'List', { ChatSessionId: id }),
      add: (id, text) => parley('Notes', 'Add', { ChatSessionId: id, Text: text }),
    },
    visitor: {
      context: (id) => parley('Visitors', 'Context', { ChatSessionId: id }),
      open: (id) => (state.sessions.has(id) ? attempt(open)(id) : notify('That chat is no longer in your inbox.')),
    },
    sendFile: async (id, file, onProgress) => {
      await uploadFile(`/api/v1/Parley/Attachments/Upload?chatSessionId=${id}`, file, { 'X-XSRF-TOKEN': xsrfToken() }, onProgress);
      await refreshMessages();
    },
    // An <img> or a link cannot send the XSRF header: the token goes in the address, as for the push stream.
    fileHref: (m) => `${m.SpecialParam}?xsrf=${encodeURIComponent(xsrfToken())}`,
    showError: (err) => notify(err.message),
    /** Colleagues who are present and can respond in the session's topic: the only ones a chat can go to. */
    async transferTargets(session) {
      const [present, members] = await Promise.all([
        agent('GetUserAgentList', { Flat: true, OnlyPresent: true }),
        agent('GetChatTopicUserAgentList', { ChatTopicId: session.TopicId }),
      ]);
      const responders = new Set(members.filter((m) => m.CanRespond).map((m) => m.User.UserName.toLowerCase()));
      return present.filter((u) => responders.has(u.ToolTip.toLowerCase()) && u.ToolTip.toLowerCase() !== state.me.userName.toLowerCase())
        .map((u) => ({ UserName: u.ToolTip, FullName: u.FullName }));
    },
  };
}
