// A small server-sent-events client for tests: `fetch` with a streaming body reader and a parser that follows the
// EventSource rules (fields `id`, `event`, `data`, `retry`; comments; LF, CRLF or CR line ends; a blank line ends a
// frame). Frames are kept in arrival order; tests wait for them with a time limit so a missing event fails fast.

export interface SseFrame {
  /** The `id:` of this frame, if it had one. */
  id?: string;
  /** The `event:` name; `message` when the frame named none. */
  event: string;
  data: string;
  /** `data` parsed as JSON (undefined when it is not JSON). */
  json?: any;
  /** Milliseconds (performance.now()) when the frame was complete. */
  at: number;
}

/** Splits a byte stream of SSE text into frames and comments; feed it chunks as they arrive. */
export class SseParser {
  private buffer = '';
  private lastWasCr = false;
  private id: string | undefined;
  private event = '';
  private data: string[] = [];
  private hasData = false;
  private hasId = false;
  retry?: number;

  constructor(
    private readonly onFrame: (f: SseFrame) => void,
    private readonly onComment: (text: string) => void = () => {},
    /** Every `id:` a blank line dispatched, with data or without (EventSource's last event ID follows both). */
    private readonly onId: (id: string) => void = () => {},
  ) {}

  push(chunk: string) {
    let text = chunk;
    // A CR at the end of the previous chunk may be the first half of a CRLF.
    if (this.lastWasCr && text.startsWith('\n')) text = text.slice(1);
    this.lastWasCr = text.endsWith('\r');
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (ch !== '\n' && ch !== '\r') continue;
      this.line(this.buffer.slice(start, i));
      if (ch === '\r' && this.buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  private line(line: string) {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return this.onComment(line.slice(1).trimStart());
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.id = value;
          this.hasId = true;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch() {
    if (this.hasId) this.onId(this.id!);
    if (this.hasData) {
      const data = this.data.join('\n');
      let json: any;
      try {
        json = JSON.parse(data);
      } catch {
        json = undefined;
      }
      this.onFrame({ ...(this.hasId ? { id: this.id } : {}), event: this.event || 'message', data, json, at: performance.now() });
    }
    this.event = '';
    this.data = [];
    this.hasData = false;
    this.hasId = false;
  }
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The body when the answer was not an event stream (an error envelope). */
  body?: string;
  /** Every frame received so far, in order. */
  frames: SseFrame[];
  /** Every comment line received so far (`connected`, `heartbeat`). */
  comments: string[];
  /** The last id the server sent, in a frame or on its own (what EventSource would send as Last-Event-ID). */
  lastEventId: string | undefined;
  /** Resolves when the server ended the stream (or it was aborted). */
  ended: Promise<void>;
  isEnded(): boolean;
  /** Waits for the next frame not taken yet that matches, and takes it (frames before it are skipped). */
  take(match?: (f: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** Waits until `check` holds for the frames received so far. */
  until(check: (frames: SseFrame[]) => boolean, timeoutMs?: number, what?: string): Promise<SseFrame[]>;
  /** Frames not taken yet. */
  pending(): SseFrame[];
  /** Marks every frame received so far as taken. */
  skipAll(): void;
  close(): void;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens `url` as an event stream. Non-2xx answers resolve too (status, headers and body set; no frames).
 */
export async function openSse(url: string | URL, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const frames: SseFrame[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  let taken = 0;
  let ended = false;
  const stream: SseStream = {
    status: res.status,
    headers: res.headers,
    frames,
    comments,
    lastEventId: undefined,
    ended: Promise.resolve(),
    isEnded: () => ended,
    async take(match = () => true, timeoutMs = 5000) {
      let found: SseFrame | undefined;
      await waitFor(
        () => {
          for (let i = taken; i < frames.length; i++) {
            if (match(frames[i])) {
              found = frames[i];
              taken = i + 1;
              return true;
            }
          }
          return false;
        },
        timeoutMs,
        () => `no matching frame within ${timeoutMs} ms; frames not taken: ${describe(frames.slice(taken))}`,
      );
      return found!;
    },
    async until(check, timeoutMs = 5000, what = 'condition') {
      await waitFor(
        () => check(frames),
        timeoutMs,
        () => `${what} not met within ${timeoutMs} ms; frames: ${describe(frames)}`,
      );
      return frames;
    },
    pending: () => frames.slice(taken),
    skipAll: () => {
      taken = frames.length;
    },
    close: () => abort.abort(),
  };

  function waitFor(check: () => boolean, timeoutMs: number, message: () => string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = () => {
        if (!check()) {
          if (ended) finish(new Error(`stream ended: ${message()}`));
          return;
        }
        finish();
      };
      const timer = setTimeout(() => finish(new Error(message())), timeoutMs);
      const finish = (err?: Error) => {
        clearTimeout(timer);
        waiters.delete(waiter);
        if (err) reject(err);
        else resolve();
      };
      waiters.add(waiter);
      if (ended) waiter();
    });
  }

  if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    stream.body = await res.text();
    ended = true;
    return stream;
  }
  const parser = new SseParser(
    (f) => {
      frames.push(f);
      notify();
    },
    (c) => {
      comments.push(c);
      notify();
    },
    (id) => {
      stream.lastEventId = id;
    },
  );
  stream.ended = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted by close(), or the connection was cut
    } finally {
      ended = true;
      notify();
    }
  })();
  return stream;
}

const describe = (frames: SseFrame[]) => (frames.length ? frames.map((f) => `${f.id ?? '-'}:${f.event}`).join(', ') : '(none)');
