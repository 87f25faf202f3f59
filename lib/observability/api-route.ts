import "server-only";
import { errorResponse } from "@/lib/errors";
import { withRequestId } from "./log";
import { REQUEST_ID_HEADER, requestIdFrom } from "./request-id";

/**
 * Wraps an API route handler with its request id: the caller's sane X-Request-Id (proxy.ts forwards one for the
 * requests it sees), else a new one. The handler runs inside the request's log context, a thrown error becomes the
 * standard JSON error, and every answer (JSON, stream, error) carries the id in X-Request-Id.
 *
 * Route handlers get no middleware for requests with a body (see proxy.ts's matcher), so this is where the id is
 * attached; it costs one AsyncLocalStorage.run and one header per request. A synchronous handler stays synchronous.
 */
export function apiRoute<A extends [request?: Request, ...rest: unknown[]], R extends Response | Promise<Response>>(
  handler: (...args: A) => R,
): (...args: A) => R {
  return (...args: A): R => {
    const requestId = requestIdFrom(args[0]?.headers.get(REQUEST_ID_HEADER) ?? null);
    return withRequestId(requestId, () => {
      const answer = (response: Response) => withRequestIdHeader(response, requestId);
      const fail = (err: unknown) => answer(errorResponse(err));
      let result: R;
      try {
        result = handler(...args);
      } catch (err) {
        return fail(err) as R;
      }
      return (result instanceof Promise ? result.then(answer, fail) : answer(result)) as R;
    });
  };
}

/** Sets X-Request-Id; a response whose headers are immutable (a redirect, a fetched one) is copied first. */
export function withRequestIdHeader(response: Response, requestId: string): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(REQUEST_ID_HEADER, requestId);
    return copy;
  }
}
