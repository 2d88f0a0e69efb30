"""The API's own request handling, before the site-wide method check:

- CORS for reading: every answer under /api/ to GET, HEAD or OPTIONS carries
  ``Access-Control-Allow-Origin: *`` (no credentials: the API has no cookies to
  share), and a preflight is answered for those methods only. A few lines of our own
  rather than django-cors-headers: one rule, for one path, with nothing to configure.
- Any other method sent to an API view is a 405 problem detail with ``Allow``
  (AllowedMethodsMiddleware would answer with an HTML page).

It sits outside ConditionalGetMiddleware, so a 304 carries the CORS headers too.
"""

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
