"""How drf-spectacular describes each endpoint: summary, description and tag from its
declaration (api.endpoints), and the problem details every operation may answer."""

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from api.problems import PROBLEM_TYPE


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem detail."""

    type = serializers.CharField(help_text="about:blank: the status says what kind of problem it is.")
    title = serializers.CharField(help_text="The status's phrase: Bad Request, Not Found, …")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong, in words.")
    instance = serializers.CharField(help_text="The path that was asked for.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a 400: each query parameter that was refused, and why.",
    )


ERRORS = {
    "400": "A query parameter this endpoint does not take, or a value that does not validate.",
    "404": "No such record.",
    "406": "The Accept header asks for something other than JSON.",
    "429": "Too many requests from this client: wait the seconds in Retry-After.",
}
LIST_ERRORS = {"414": f"A query string longer than {settings.MAX_QUERY_STRING_LENGTH:,} characters."}


class EndpointSchema(AutoSchema):
    def _endpoint(self):
        return getattr(self.view, "endpoint", None)

    def _is_list(self) -> bool:
        return self._is_list_view()

    def get_tags(self):
        endpoint = self._endpoint()
        return [endpoint.name] if endpoint else super().get_tags()

    def get_summary(self):
        endpoint = self._endpoint()
        if endpoint is None:
            return super().get_summary()
        return f"List {endpoint.name}" if self._is_list() else f"One {endpoint.singular}"

    def get_description(self):
        endpoint = self._endpoint()
        return endpoint.description if endpoint else super().get_description()

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        problem = self.resolve_serializer(ProblemSerializer, "response").ref
        errors = {**ERRORS, **(LIST_ERRORS if self._is_list() else {})}
        for status, description in sorted(errors.items()):
            operation["responses"].setdefault(
                status, {"description": description, "content": {PROBLEM_TYPE: {"schema": problem}}}
            )
        return operation
