import { AppError, errorResponse } from "@/lib/errors";
import { apiRoute } from "@/lib/observability/api-route";

/** Unknown API paths answer JSON, like every other API error, instead of the HTML 404 page. */
const notFound = apiRoute((request: Request): Response => {
  const { pathname } = new URL(request.url);
  return errorResponse(new AppError("not_found", `No API endpoint at ${pathname}. See /docs.`));
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
