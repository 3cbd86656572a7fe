import type { FastifyInstance } from 'fastify';

/** How deep a request body may nest objects and arrays; no route takes more than a few levels. */
export const MAX_JSON_DEPTH = 32;

/** Whether a JSON text nests objects and arrays deeper than `max`: one pass over the text, no recursion. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * JSON bodies as Fastify parses them (prototype poisoning refused), after a check that they nest no deeper than
 * MAX_JSON_DEPTH: a body nested thousands of levels deep is a 400, not a stack overflow further on.
 */
export function guardJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // every body a route reads is JSON or an upload: plain text is refused (415) rather than read as a string
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
      const error = Object.assign(new Error(`body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`), {
        statusCode: 400,
      });
      done(error, undefined);
      return;
    }
    void parse(request, body as string, (err, value) => {
      if ((err as { code?: string } | null)?.code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return done(err, value);
      // say where the text stops being JSON, as the parser does
      let why = 'it could not be read';
      try {
        JSON.parse(body as string);
      } catch (cause) {
        why = (cause as Error).message;
      }
      done(Object.assign(new Error(`the body is not valid JSON: ${why}`), { statusCode: 400 }), undefined);
    });
  });
}
