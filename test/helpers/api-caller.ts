// A JSON caller for a started server: each call carries the named role's key, and answers come back with their
// status, content type and parsed body (shapes are asserted by the tests).
export interface Answer {
  status: number;
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: the answers' shapes are asserted by the tests
  body: any;
}

export function apiCaller(base: () => string, keys: Record<string, string>) {
  return async (who: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: { authorization: `Bearer ${keys[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.json() };
  };
}
