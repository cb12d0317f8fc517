import { describe, expect, it } from 'vitest';
import { PROMETHEUS, PROXY_AUTH_FAILED, requestErrorText } from './requestError';

/** A FetchError as Grafana's BackendSrv rejects with it, `data` shaped as its processRequestError does. */
function fetchError(status: number, statusText: string, body: string | object) {
  const data =
    typeof body === 'string' ? { message: body || statusText, error: statusText, response: body } : { ...body };
  return { status, statusText, data };
}

describe("requestErrorText on what Grafana's data proxy answers", () => {
  it('upstream 401 (a 400 "Authentication to data source failed"): the token was refused, set it', () => {
    const text = requestErrorText(fetchError(400, 'Bad Request', PROXY_AUTH_FAILED), '/api/v1/legs');
    expect(text).toBe(
      `/api/v1/legs: the probe refused the datasource's API token: set it in the datasource settings (Grafana's data proxy: 400 "Authentication to data source failed")`
    );
  });

  it('names the upstream it was told: Prometheus and its credentials', () => {
    const text = requestErrorText(fetchError(400, 'Bad Request', PROXY_AUTH_FAILED), '/api/v1/query', PROMETHEUS);
    expect(text).toMatch(/^\/api\/v1\/query: Prometheus refused the datasource's credentials: set it/);
  });

  it('a 401 or 403 that reached the page unchanged reads the same way, with its status', () => {
    expect(requestErrorText(fetchError(401, 'Unauthorized', ''), '/x')).toBe(
      "/x: the probe refused the datasource's API token: set it in the datasource settings (401 Unauthorized)"
    );
    expect(requestErrorText(fetchError(403, 'Forbidden', { error: 'no' }), '/x')).toMatch(
      /refused .*\(403 Forbidden\)$/
    );
  });

  it("502 with an empty body: unreachable from Grafana's server", () => {
    expect(requestErrorText(fetchError(502, 'Bad Gateway', ''), '/api/v1/legs')).toBe(
      "/api/v1/legs: the probe is unreachable from Grafana's server (502 Bad Gateway): check the URL in the datasource settings and that the probe is running"
    );
  });

  it('504: no answer in time', () => {
    expect(requestErrorText(fetchError(504, 'Gateway Timeout', ''), '/api/v1/legs')).toBe(
      "/api/v1/legs: the probe did not answer Grafana's server in time (504 Gateway Timeout): is it overloaded or stalled?"
    );
  });

  it('a 400 with another text is not mistaken for an authentication failure', () => {
    expect(requestErrorText(fetchError(400, 'Bad Request', 'something else'), '/x')).toBe('/x: 400 Bad Request');
  });

  it('a 502 whose body says something (a proxy in front of the probe) keeps its text', () => {
    expect(requestErrorText(fetchError(502, 'Bad Gateway', { error: 'upstream reset' }), '/x')).toBe(
      '/x: 502 Bad Gateway: upstream reset'
    );
  });
});

describe("requestErrorText on the probe's own answers", () => {
  it("shows the probe's own error text with the status", () => {
    const err = fetchError(400, 'Bad Request', { error: 'from: "x" is not a time' });
    expect(requestErrorText(err, '/api/v1/events')).toBe('/api/v1/events: 400 Bad Request: from: "x" is not a time');
  });

  it('never quotes a text body (it may be a whole HTML page): the status only', () => {
    expect(requestErrorText(fetchError(500, 'Internal Server Error', '<html>oops</html>'), '/x')).toBe(
      '/x: 500 Internal Server Error'
    );
  });

  it('falls back to the thrown message', () => {
    expect(requestErrorText(new Error('Failed to fetch'), '/api/v1/legs')).toBe('/api/v1/legs: Failed to fetch');
    expect(requestErrorText('boom', '/x')).toBe('/x: boom');
  });
});
