import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

// A real SMTP server for the tests (smtp-server, the server half of nodemailer's project),
// on a loopback port, collecting what it accepts. It can be told to refuse the next
// recipients or messages with a reply code, as a real server does when it is busy or full.

type ReceivedMail = { from: string; to: string[]; parsed: ParsedMail; raw: string; user: string | null };

export type TestSmtpServer = {
  port: number;
  url: (withAuth?: boolean) => string;
  received: ReceivedMail[];
  /** Refuse the next n RCPT TO commands with this reply code. */
  refuseRecipients: (n: number, code: number) => void;
  /** Refuse the next n messages at the end of DATA with this reply code. */
  refuseData: (n: number, code: number) => void;
  close: () => Promise<void>;
};

const SMTP_USER = 'cosponsor-mailer';
export const SMTP_PASSWORD = 's3cret-pa55';

function refusal(message: string, code: number): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpServer(port = 0): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let rcptRefusals = { n: 0, code: 451 };
  let dataRefusals = { n: 0, code: 451 };
  const server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS, AUTH allowed without TLS.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
      else callback(refusal('Invalid username or password', 535));
    },
    onRcptTo(_address: SMTPServerAddress, _session, callback) {
      if (rcptRefusals.n > 0) {
        rcptRefusals.n -= 1;
        callback(refusal('Mailbox busy, try again later', rcptRefusals.code));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (dataRefusals.n > 0) {
          dataRefusals.n -= 1;
          callback(refusal('Local error in processing, try again later', dataRefusals.code));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), parsed, raw, user: (session.user as string | undefined) ?? null });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = (server as unknown as { server: net.Server }).server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    port: bound,
    url: (withAuth = false) => `smtp://${withAuth ? `${SMTP_USER}:${SMTP_PASSWORD}@` : ''}127.0.0.1:${bound}`,
    received,
    refuseRecipients: (n, code) => {
      rcptRefusals = { n, code };
    },
    refuseData: (n, code) => {
      dataRefusals = { n, code };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on (bound, then released): a mail server that is down. */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A server that accepts connections and never says a word: the greeting deadline must end the attempt. */
export async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
