import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';

describe('a client that stops sending its body', () => {
  let s: TestService;
  let url: URL;
  beforeAll(async () => {
    s = await startTestService('pglite', 'slow-clients', { IDLE_TIMEOUT_MS: '1000' });
    url = new URL(await s.app.listen({ port: 0, host: '127.0.0.1' }));
  });
  afterAll(() => s?.close());

  it('is disconnected after IDLE_TIMEOUT_MS, and the service goes on answering', async () => {
    const { key } = await s.caller('slow', 'contributor');
    const socket = connect(Number(url.port), url.hostname);
    const closed = new Promise<string>((resolve) => {
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('close', () => resolve(answer));
    });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /v1/documents HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"kind":"job_ad","text":"Haemme`,
    );
    // nothing more is sent: the server closes the connection without storing anything
    const answer = await closed;
    expect(answer).not.toMatch(/HTTP\/1.1 2\d\d/);
    expect((await s.db.query('SELECT 1 FROM documents')).length).toBe(0);
    expect((await fetch(new URL('/health', url))).status).toBe(200);
  });
});
