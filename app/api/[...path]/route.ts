import { AppError, errorResponse } from "@/lib/errors";

/** Unknown API paths answer JSON, like every other API error, instead of the HTML 404 page. */
function notFound(request: Request): Response {
  const { pathname } = new URL(request.url);
  return errorResponse(new AppError("not_found", `No API endpoint at ${pathname}. See /docs.`));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
