import { describe, expect, it } from 'vitest';
import { handleFrame, handleMessage } from './t3-rpc';

describe('stand-in RPC handling', () => {
  it('answers a Ping with a Pong', () => {
    expect(handleFrame('{"_tag":"Ping"}')).toEqual([{ kind: 'pong' }]);
  });

  it('answers server.probe with Exit Success, echoing a string or a number id', () => {
    for (const id of ['1', 42]) {
      expect(handleMessage({ _tag: 'Request', id, tag: 'server.probe', payload: {}, headers: [] })).toEqual({
        kind: 'request',
        reply: { _tag: 'Exit', requestId: id, exit: { _tag: 'Success', value: {} } },
      });
    }
  });

  it('answers an unknown request tag with a Defect tied to no request by default (older servers)', () => {
    const frame = '{"_tag":"Request","id":"9","tag":"orchestration.snapshot","payload":{}}';
    for (const out of [handleFrame(frame)[0], handleFrame(frame, { unknownRequest: 'defect' })[0]]) {
      expect(out).toEqual({
        kind: 'request',
        reply: { _tag: 'Defect', defect: 'unknown request tag "orchestration.snapshot"' },
      });
      expect(out && 'reply' in out && 'requestId' in out.reply).toBe(false);
    }
  });

  it('keeps answering server.probe with an Exit Success whatever the unknown-request reply', () => {
    for (const unknownRequest of ['defect', 'exit-failure'] as const) {
      expect(handleMessage({ _tag: 'Request', id: '2', tag: 'server.probe' }, { unknownRequest })).toEqual({
        kind: 'request',
        reply: { _tag: 'Exit', requestId: '2', exit: { _tag: 'Success', value: {} } },
      });
    }
  });

  it('answers an unknown request tag with Exit Failure naming the rpc when asked to (newer servers)', () => {
    const out = handleMessage(
      { _tag: 'Request', id: '9', tag: 'orchestration.snapshot' },
      { unknownRequest: 'exit-failure' }
    );
    expect(out.kind).toBe('request');
    const reply = (
      out as { reply: { requestId: unknown; exit: { _tag: string; cause: { error: { message: string } } } } }
    ).reply;
    expect(reply.requestId).toBe('9');
    expect(reply.exit._tag).toBe('Failure');
    expect(reply.exit.cause.error.message).toContain('orchestration.snapshot');
  });

  it('handles every message of an array frame, in order', () => {
    const frame = JSON.stringify([
      { _tag: 'Ping' },
      { _tag: 'Ack', requestId: '1' },
      { _tag: 'Request', id: 3, tag: 'server.probe' },
    ]);
    expect(handleFrame(frame).map((o) => o.kind)).toEqual(['pong', 'ignored', 'request']);
    expect(handleFrame('[]')).toEqual([]);
  });

  it('ignores Ack, Interrupt and Eof', () => {
    for (const _tag of ['Ack', 'Interrupt', 'Eof']) {
      expect(handleMessage({ _tag })).toEqual({ kind: 'ignored' });
    }
  });

  it.each([
    ['not JSON', 'hello', 'frame is not JSON: hello'],
    ['not an object', '5', 'message is not an object: 5'],
    ['null', 'null', 'message is not an object: null'],
    ['unknown tag', '{"_tag":"Pingg"}', 'unknown message _tag: "Pingg"'],
    ['no tag', '{"id":1}', 'unknown message _tag: undefined'],
    ['request without id', '{"_tag":"Request","tag":"server.probe"}', 'Request has no valid id'],
    ['non-decimal id', '{"_tag":"Request","id":"1a","tag":"server.probe"}', 'Request has no valid id'],
    ['fractional id', '{"_tag":"Request","id":1.5,"tag":"server.probe"}', 'Request has no valid id'],
    ['negative id', '{"_tag":"Request","id":-1,"tag":"server.probe"}', 'Request has no valid id'],
    ['request without tag', '{"_tag":"Request","id":"1"}', 'Request 1 has no string tag'],
  ])('answers garbage (%s) with a Defect saying what is wrong', (_name, frame, text) => {
    const [out] = handleFrame(frame);
    expect(out?.kind).toBe('defect');
    expect((out as { reply: { _tag: string; defect: string } }).reply._tag).toBe('Defect');
    expect((out as { reply: { defect: string } }).reply.defect).toContain(text);
  });

  it('shortens a long garbage frame in the Defect', () => {
    const [out] = handleFrame('x'.repeat(500));
    expect((out as { reply: { defect: string } }).reply.defect.length).toBeLessThan(120);
  });
});
