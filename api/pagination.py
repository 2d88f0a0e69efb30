"""Cursor pagination on each endpoint's unique, indexed key (api.endpoints)."""

from django.conf import settings
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 100


class KeyCursorPagination(CursorPagination):
    page_size = settings.PORTAL_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = f"Records per page, 1 to {MAX_PAGE_SIZE} (default {settings.PORTAL_PAGE_SIZE})."
    cursor_query_description = "Where a page starts: copy it from a response's `next` or `previous` link."
    max_page_size = MAX_PAGE_SIZE

    def get_ordering(self, request, queryset, view):
        return (view.endpoint.ordering,)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGE_SIZE:
            raise ValidationError({self.page_size_query_param: [f"A whole number from 1 to {MAX_PAGE_SIZE}."]})
        return int(value)

    def decode_cursor(self, request):
        refused = ValidationError(
            {self.cursor_query_param: ["Not a cursor this API gave out; copy it from a `next` or `previous` link."]}
        )
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise refused from None
        # The key is an id: a forged cursor with any other position is refused, not a server error.
        if cursor is not None and cursor.position is not None and not str(cursor.position).isdigit():
            raise refused
        return cursor

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": MAX_PAGE_SIZE})
        return parameters
