"""What every API view shares: input validation, cursor pages and their documented shape."""

from __future__ import annotations

import copy
import functools

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import CursorPagination


class OutputSerializer(serializers.ModelSerializer):
    """A model's fields as the API returns them: a blank choice is documented as "" and a nullable
    column as null (read-only model fields would lose both in the schema).

    The fields a class builds from its model are built once per process and copied for each
    serializer: building them walks the model's fields (2.9 ms for the complaint detail's 90
    fields, against 1.2 ms for a copy), and they depend only on the class."""

    _built_fields: dict[type, dict] = {}

    def get_fields(self):
        cls = type(self)
        built = OutputSerializer._built_fields.get(cls)
        if built is None:
            built = OutputSerializer._built_fields[cls] = super().get_fields()
        return copy.deepcopy(built)

    def build_field(self, field_name, info, model_class, nested_depth):
        field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
        model_field = info.fields.get(field_name) or info.relations.get(field_name)
        model_field = getattr(model_field, "model_field", model_field)
        if model_field is not None and hasattr(model_field, "blank"):
            if model_field.blank and issubclass(field_class, (serializers.CharField, serializers.ChoiceField)):
                kwargs["allow_blank"] = True
            if model_field.null:
                kwargs["allow_null"] = True
        return field_class, kwargs


@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.Field):
    """The label of a choice column in the reader's language. ``get_FOO_display`` costs a
    signature inspection and a hash of the choices per row (a fifth of a 50-row page)."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices.choices)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


class CursorPage(CursorPagination):
    """Opaque cursors: a page costs the same at any depth and rows added meanwhile are not skipped."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-id",)

    def __init__(self, ordering: tuple[str, ...] | None = None):
        if ordering:
            self.ordering = ordering


@functools.cache
def page_of(serializer_class: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The documented shape of a page of ``serializer_class`` (what :class:`CursorPage` returns)."""
    name = serializer_class.__name__.removesuffix("Output") + "Page"
    return type(
        name,
        (serializers.Serializer,),
        {
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


def paginate(request, view, queryset, serializer_class, *, ordering: tuple[str, ...] | None = None, context=None):
    paginator = CursorPage(ordering)
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True, context=context or {}).data)


def validate(serializer_class, data, **context) -> dict:
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class BoundedDateTime(serializers.DateTimeField):
    """A moment between 2000 and 2100: DRF itself overflows on year 1 (a 500), and nothing the
    centre does happens outside this range."""

    default_error_messages = {"range": _("时间须在{low}年至{high}年之间。")}

    def to_internal_value(self, value):
        try:
            result = super().to_internal_value(value)
        except OverflowError:
            self.fail("range", low=YEARS[0], high=YEARS[1])
        if not YEARS[0] <= result.year <= YEARS[1]:
            self.fail("range", low=YEARS[0], high=YEARS[1])
        return result


class BoundedDate(serializers.DateField):
    default_error_messages = {"range": _("日期须在{low}年至{high}年之间。")}

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not YEARS[0] <= result.year <= YEARS[1]:
            self.fail("range", low=YEARS[0], high=YEARS[1])
        return result


YEARS = (2000, 2100)

# Ids beyond a bigint would overflow the database's comparison (a 500 found by the fuzzer).
MAX_ID = 2**63 - 1
