// The studio's HTTP API, as the page uses it (docs/studio.md). Errors become exceptions carrying the server's
// message and the field it names.

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

export async function api(method, path, body) {
  const init = {method, headers: {}};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return answer(await send(path, init));
}

/** Sends bytes (a recording as a WAV file) and returns the JSON answer. */
export async function apiBytes(method, path, blob, type) {
  return answer(await send(path, {method, headers: {'Content-Type': type}, body: blob}));
}

/** GETs bytes (a WAV file): {blob, headers}; errors as api() throws them. */
export async function fetchBytes(path) {
  const r = await send(path, {method: 'GET'});
  if (!r.ok) await answer(r);
  return {blob: await r.blob(), headers: r.headers};
}

async function send(path, init) {
  try {
    return await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'the studio does not answer (was lanes studio stopped?)', null);
  }
}

async function answer(r) {
  if (r.status === 204) return null;
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
  if (!r.ok) throw new ApiError(r.status, json && json.error ? json.error : `${r.status} ${r.statusText}`, json && json.field);
  return json;
}

/** Follows a run's event stream: onState(state) for each frame, onEnd() when the run ends. Returns a closer. */
export function follow(id, onState, onEnd) {
  const source = new EventSource(`/api/runs/${id}/events`);
  source.addEventListener('state', e => onState(JSON.parse(e.data)));
  source.addEventListener('end', () => { source.close(); if (onEnd) onEnd(); });
  return () => source.close();
}

/** Ends a run when the page goes away, even mid-unload. */
export function deleteOnUnload(getId) {
  window.addEventListener('pagehide', () => {
    const id = getId();
    if (id) fetch(`/api/runs/${id}`, {method: 'DELETE', keepalive: true});
  });
}
