// A real SMTP server in the test process (smtp-server), reading each mail that arrives with mailparser. `answer`
// decides per delivery attempt: accept, or refuse with an SMTP code (4xx: try later, 5xx: for good).
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ArrivedMail {
  envelopeTo: string[];
  envelopeFrom: string;
  raw: string;
  parsed: ParsedMail;
}

export async function startSmtpServer(answer: (attempt: number) => 'accept' | number = () => 'accept') {
  const arrived: ArrivedMail[] = [];
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const a = answer(++attempts);
        if (a !== 'accept') {
          const err = Object.assign(new Error(a >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: a });
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        arrived.push({
          raw,
          parsed: await simpleParser(raw),
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrived,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
