"""The API's own request handling, before the site-wide method check:

- CORS for reading: every answer under /api/ to GET, HEAD or OPTIONS carries
  ``Access-Control-Allow-Origin: *`` (no credentials: the API has no cookies to
  share), and a preflight is answered for those methods only. A few lines of our own
  rather than django-cors-headers: one rule, for one path, with nothing to configure.
- Any other method sent to an API view is a 405 problem detail with ``Allow``
  (AllowedMethodsMiddleware would answer with an HTML page).
- An error page the site's own middleware answers with (a query string too long,
  the database away, a server error) becomes a problem detail with the same status
  and headers: an API client never has to parse HTML.

It sits outside RequestLimitsMiddleware, DatabaseUnavailableMiddleware and
ConditionalGetMiddleware, so their answers, and a 304, pass through it.
"""

from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse

from alliance_portal.middleware import READ_ONLY
from api.problems import problem_response

PREFIX = "/api/"
ALLOW = "GET, HEAD, OPTIONS"
EXPOSED = "ETag, Retry-After, Allow"


def _is_preflight(request) -> bool:
    return request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if _is_preflight(request):
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOW
            response["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        if response.status_code >= 400 and response.get("Content-Type", "").startswith("text/html"):
            response = _as_problem(request, response)
        if request.method in READ_ONLY:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED
            # Other sites' scripts may read the API (CORS), so it is not same-origin only.
            response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        view = getattr(view_func, "view_class", view_func)
        if getattr(view, "answers_problems", False) and request.method not in READ_ONLY:
            return problem_response(
                request, 405, f"The API only reads: it answers {ALLOW}, not {request.method[:20]}.", Allow=ALLOW
            )
        return None


def _detail(status: int) -> str:
    if status == 414:
        return f"The query string is longer than {settings.MAX_QUERY_STRING_LENGTH} characters."
    if status == 503:
        return "The API cannot reach its database just now; try again after Retry-After seconds."
    if status >= 500:
        return "Something went wrong on the server; it has been logged."
    return HTTPStatus(status).phrase + "."


def _as_problem(request, page):
    """The site's HTML error page for this status, as a problem detail (its headers kept)."""
    response = problem_response(request, page.status_code, _detail(page.status_code))
    for name in ("Allow", "Retry-After"):
        if name in page:
            response[name] = page[name]
    return response
