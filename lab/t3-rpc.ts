/**
 * The stand-in's message handling (stand-in for the t3 server's Effect RPC loop, written from
 * /work/shared/t3-protocol.md). Pure: a text frame in, what to answer out. The server decides when.
 *
 * Decisions where the real server's behaviour is not known to us:
 * - Every reply is sent as its own frame, even when the client batched its messages in an array.
 * - `requestId` echoes the request's `id` unchanged (decimal string or integer number).
 * - Anything that is not a protocol message (bad JSON, not an object, unknown `_tag`, a Request without
 *   a usable id) is answered with a `Defect` naming the problem, so tests can see it was noticed.
 * - `Ack`, `Interrupt` and `Eof` are accepted and ignored: the stand-in never runs streams.
 * - A Request whose tag the server does not know: older servers answer a `Defect` tied to no request,
 *   newer ones an `Exit` Failure for that id (t3-protocol.md). `unknownRequest` picks which; the stand-in
 *   server decides it from its protocol version. `server.probe` is always answered by an `Exit` Success.
 */

type RequestId = string | number;

export type ServerMessage =
  { _tag: 'Pong' } | { _tag: 'Exit'; requestId: RequestId; exit: ExitValue } | { _tag: 'Defect'; defect: string };

type ExitValue =
  | { _tag: 'Success'; value: unknown }
  | { _tag: 'Failure'; cause: { _tag: 'Fail'; error: { _tag: string; message: string } } };

/** What one client message calls for. `pong` is separate because the server may delay or withhold it. */
type Outcome =
  | { kind: 'pong' }
  | { kind: 'request'; reply: ServerMessage }
  | { kind: 'defect'; reply: ServerMessage }
  | { kind: 'ignored' };

/** The one RPC the stand-in implements: cheap, read-only, as the real server's. */
const PROBE_RPC = 'server.probe';

const IGNORED_TAGS = new Set(['Ack', 'Interrupt', 'Eof']);

/** How a Request with an unknown tag is answered: `defect` (older servers) or `exit-failure` (newer). */
type UnknownRequestReply = 'defect' | 'exit-failure';

interface RpcOptions {
  /** Default `defect`. */
  unknownRequest?: UnknownRequestReply;
}

/** Splits a text frame into its messages; a frame holds one message or an array of them. */
export function handleFrame(text: string, opts: RpcOptions = {}): Outcome[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [defect(`frame is not JSON: ${preview(text)}`)];
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  return messages.map((m) => handleMessage(m, opts));
}

export function handleMessage(msg: unknown, opts: RpcOptions = {}): Outcome {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    return defect(`message is not an object: ${preview(JSON.stringify(msg))}`);
  }
  const m = msg as Record<string, unknown>;
  const tag = m._tag;
  if (tag === 'Ping') {
    return { kind: 'pong' };
  }
  if (tag === 'Request') {
    return handleRequest(m, opts.unknownRequest ?? 'defect');
  }
  if (typeof tag === 'string' && IGNORED_TAGS.has(tag)) {
    return { kind: 'ignored' };
  }
  return defect(`unknown message _tag: ${preview(JSON.stringify(tag))}`);
}

function handleRequest(m: Record<string, unknown>, unknownRequest: UnknownRequestReply): Outcome {
  const id = m.id;
  if (!isRequestId(id)) {
    return defect(`Request has no valid id (decimal string or integer): ${preview(JSON.stringify(id))}`);
  }
  if (typeof m.tag !== 'string') {
    return defect(`Request ${String(id)} has no string tag`);
  }
  if (m.tag === PROBE_RPC) {
    return { kind: 'request', reply: { _tag: 'Exit', requestId: id, exit: { _tag: 'Success', value: {} } } };
  }
  if (unknownRequest === 'defect') {
    return {
      kind: 'request',
      reply: { _tag: 'Defect', defect: `unknown request tag ${preview(JSON.stringify(m.tag))}` },
    };
  }
  return {
    kind: 'request',
    reply: {
      _tag: 'Exit',
      requestId: id,
      exit: {
        _tag: 'Failure',
        cause: { _tag: 'Fail', error: { _tag: 'RpcNotFound', message: `the stand-in does not implement ${m.tag}` } },
      },
    },
  };
}

function isRequestId(id: unknown): id is RequestId {
  if (typeof id === 'number') {
    return Number.isSafeInteger(id) && id >= 0;
  }
  return typeof id === 'string' && /^[0-9]+$/.test(id);
}

function defect(text: string): Outcome {
  return { kind: 'defect', reply: { _tag: 'Defect', defect: text } };
}

function preview(s: string | undefined): string {
  const text = s ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
