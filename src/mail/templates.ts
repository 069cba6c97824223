// The mail texts per language (the topic's widget language; English when Parley has no texts for it). {name}
// placeholders are filled with the topic's texts (already translated) and the customer's own words, never markup.

export type MailKind = 'transcript' | 'receipt' | 'missed' | 'offline-request';

interface Texts {
  subject: string;
  body: string;
}

const en: Record<MailKind, Texts> = {
  transcript: {
    subject: 'Your chat with {topic}',
    body: 'Hello {customer},\n\nhere is the transcript of your chat with {topic}.\n\n{transcript}\n',
  },
  receipt: {
    subject: 'We received your request {ticket} ({topic})',
    body: 'Hello {customer},\n\nthank you for your message to {topic}. Your request number is {ticket}; we will answer by e-mail.\n\nYou wrote:\n{message}\n',
  },
  missed: {
    subject: 'Missed chat in {topic} from {customer}',
    body: 'A chat in {topic} left the queue without an answer ({how}).\n\nCustomer: {customer} {email}\nChat: {session}\nFirst message:\n{message}\n',
  },
  'offline-request': {
    subject: 'New request {ticket} in {topic} from {customer}',
    body: 'A customer left a request in {topic}.\n\nRequest: {ticket}\nCustomer: {customer} {email}\nChat: {session}\nMessage:\n{message}\n',
  },
};

const nb: Record<MailKind, Texts> = {
  transcript: { subject: 'Din chat med {topic}', body: 'Hei {customer},\n\nher er utskriften av chatten din med {topic}.\n\n{transcript}\n' },
  receipt: {
    subject: 'Vi har mottatt henvendelsen din {ticket} ({topic})',
    body: 'Hei {customer},\n\ntakk for meldingen din til {topic}. Henvendelsen din har nummer {ticket}; vi svarer på e-post.\n\nDu skrev:\n{message}\n',
  },
  missed: {
    subject: 'Ubesvart chat i {topic} fra {customer}',
    body: 'En chat i {topic} forlot køen uten svar ({how}).\n\nKunde: {customer} {email}\nChat: {session}\nFørste melding:\n{message}\n',
  },
  'offline-request': {
    subject: 'Ny henvendelse {ticket} i {topic} fra {customer}',
    body: 'En kunde la igjen en henvendelse i {topic}.\n\nHenvendelse: {ticket}\nKunde: {customer} {email}\nChat: {session}\nMelding:\n{message}\n',
  },
};

const sv: Record<MailKind, Texts> = {
  transcript: { subject: 'Din chatt med {topic}', body: 'Hej {customer},\n\nhär är utskriften av din chatt med {topic}.\n\n{transcript}\n' },
  receipt: {
    subject: 'Vi har tagit emot ditt ärende {ticket} ({topic})',
    body: 'Hej {customer},\n\ntack för ditt meddelande till {topic}. Ditt ärende har nummer {ticket}; vi svarar via e-post.\n\nDu skrev:\n{message}\n',
  },
  missed: {
    subject: 'Missad chatt i {topic} från {customer}',
    body: 'En chatt i {topic} lämnade kön utan svar ({how}).\n\nKund: {customer} {email}\nChatt: {session}\nFörsta meddelandet:\n{message}\n',
  },
  'offline-request': {
    subject: 'Nytt ärende {ticket} i {topic} från {customer}',
    body: 'En kund lämnade ett ärende i {topic}.\n\nÄrende: {ticket}\nKund: {customer} {email}\nChatt: {session}\nMeddelande:\n{message}\n',
  },
};

const de: Record<MailKind, Texts> = {
  transcript: { subject: 'Ihr Chat mit {topic}', body: 'Hallo {customer},\n\nhier ist das Protokoll Ihres Chats mit {topic}.\n\n{transcript}\n' },
  receipt: {
    subject: 'Wir haben Ihre Anfrage {ticket} erhalten ({topic})',
    body: 'Hallo {customer},\n\ndanke für Ihre Nachricht an {topic}. Ihre Anfrage hat die Nummer {ticket}; wir antworten per E-Mail.\n\nSie schrieben:\n{message}\n',
  },
  missed: {
    subject: 'Verpasster Chat in {topic} von {customer}',
    body: 'Ein Chat in {topic} hat die Warteschlange ohne Antwort verlassen ({how}).\n\nKunde: {customer} {email}\nChat: {session}\nErste Nachricht:\n{message}\n',
  },
  'offline-request': {
    subject: 'Neue Anfrage {ticket} in {topic} von {customer}',
    body: 'Ein Kunde hat eine Anfrage in {topic} hinterlassen.\n\nAnfrage: {ticket}\nKunde: {customer} {email}\nChat: {session}\nNachricht:\n{message}\n',
  },
};

const templates: Record<string, Record<MailKind, Texts>> = { en, nb, sv, de };

/** How a missed chat left the queue: `{how}` in the missed-chat mail. */
const how: Record<string, Record<'left' | 'offline', string>> = {
  en: { left: 'the customer left the queue', offline: 'the customer was sent to the offline form' },
  nb: { left: 'kunden forlot køen', offline: 'kunden ble sendt til kontaktskjemaet' },
  sv: { left: 'kunden lämnade kön', offline: 'kunden skickades till kontaktformuläret' },
  de: { left: 'der Kunde hat die Warteschlange verlassen', offline: 'der Kunde wurde zum Offline-Formular geleitet' },
};

export const missedHow = (language: string, reason: 'left' | 'offline') => (how[language] ?? how.en)[reason];

/** The language Parley writes mail in for a widget language code (`nb`, `no`, `sv-SE`...). */
export function mailLanguage(isoCode: string): string {
  const code = isoCode.trim().toLowerCase().slice(0, 2);
  if (code === 'no' || code === 'nn') return 'nb';
  return code in templates ? code : 'en';
}

/** Subject and body of a mail, placeholders filled; unknown placeholders stay as written. */
export function renderMail(kind: MailKind, language: string, values: Record<string, string>): Texts {
  const t = (templates[language] ?? en)[kind];
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  return { subject: fill(t.subject), body: fill(t.body) };
}
