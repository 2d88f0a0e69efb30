"""Side by side: two coalitions, organizations or people compared, and the stance matrix."""

from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import render

from alliance_portal.errors import PageNotFound
from alliance_portal.listing import FilterProblem, name_problem_message, page_problem, warn_ignored
from debates.forms import CompareForm, MatrixForm
from debates.models import Comment
from debates.sides import Side, compare, organizations_with_positions, resolve_side, side_key, stance_matrix
from members.models import Coalition, Organization, Person
from pagecache import block, cached_page, every_kind_but


@cached_page(query=[CompareForm], lists=every_kind_but(Comment))
def compare_view(request):
    """Any two coalitions, organizations or people side by side, topic by topic."""
    choices, complete = compare_choices()
    data = request.GET if ("a" in request.GET or "b" in request.GET) else None
    form = CompareForm(data, suggestions=choices, suggestions_complete=complete)
    context = {"form": form}
    if not form.is_bound:
        return render(request, "debates/compare.html", context)
    if not form.is_valid():
        warn_ignored(request, form)
        return render(request, "debates/compare.html", context, status=400)
    sides, unknown = {}, False
    for key in ("a", "b"):
        resolution = resolve_side(form.cleaned_data[key])
        if resolution.match is not None:
            sides[key] = Side(resolution.match.kind, resolution.match)
            continue
        unknown = unknown or not resolution.ambiguous
        messages.error(request, name_problem_message(request, side_problem(key, form, resolution)))
    if len(sides) < 2:
        # Nothing by that name is a 404; a name several sides match, a 400 asking which.
        return render(request, "debates/compare.html", context, status=404 if unknown else 400)
    # The boxes show the names of what is compared ("AI Alliance", not the slug a link carried).
    context["form"] = CompareForm(
        {key: side.entity.name for key, side in sides.items()}, suggestions=choices, suggestions_complete=complete
    )
    rows, a_coverage, b_coverage = compare(sides["a"], sides["b"])
    context.update(
        side_a=sides["a"],
        side_b=sides["b"],
        sides=[sides["a"], sides["b"]],
        rows=rows,
        a_coverage=a_coverage,
        b_coverage=b_coverage,
    )
    return render(request, "debates/compare.html", context)


def side_problem(key: str, form, resolution) -> FilterProblem:
    """A compare box's name that names no one side, as the list pages' messages word it."""
    candidates = tuple((f"{row.name} ({row.kind})", side_key(row, row.kind)) for row in resolution.candidates)
    return FilterProblem(
        name=key,
        label=str(form.fields[key].label),
        reason="",
        consequence="nothing is compared",
        code="ambiguous" if resolution.ambiguous else "unknown",
        value=resolution.text,
        noun="coalition, organization or person",
        plural="coalitions, organizations or people",
        candidates=candidates,
    )


PICKER_LIMIT = 200  # beyond this many organizations (or people), the picker suggests coalitions only


def compare_choices():
    """Suggestions for the picker's two boxes: [(name, kind), …], and whether some were left out.

    Every coalition; organizations and people too while there are few enough to
    list (a page with ten thousand options helps nobody; any name can be typed).
    Kept as a block (three queries when a coalition, organization or person changed).
    """
    return block(("compare-choices",), _compare_choices, kinds=PICKER_KINDS)


PICKER_KINDS = ("members.coalition", "members.organization", "members.person")


def _compare_choices():
    choices = [(name, "coalition") for name in Coalition.objects.order_by("name").values_list("name", flat=True)]
    complete = True
    for model, kind in ((Organization, "organization"), (Person, "person")):
        names = list(model.objects.order_by("name").values_list("name", flat=True)[: PICKER_LIMIT + 1])
        if len(names) > PICKER_LIMIT:
            complete = False
        else:
            choices += [(name, kind) for name in names]
    return choices, complete


MATRIX_ROWS = 100  # organizations per page of the matrix


@cached_page(query=[MatrixForm, "page"], lists=every_kind_but(Comment))
def matrix_view(request):
    form = MatrixForm(request.GET or None)
    rows_kind = "coalitions"
    if form.is_bound:
        if form.is_valid():
            rows_kind = form.cleaned_data["rows"] or rows_kind
        else:
            warn_ignored(request, form)
    page_obj = paginator = None
    if rows_kind == "organizations":  # thousands at scale: a page of them at a time
        paginator = Paginator(organizations_with_positions(), MATRIX_ROWS)
        try:
            page_obj = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as error:
            why = page_problem(request.GET.get("page"), "there may be fewer organizations than when the link was made")
            raise PageNotFound(
                f"The matrix has no such page: {why}.",
                link=("The first page of the matrix", f"{request.path}?rows=organizations"),
            ) from error
    matrix = stance_matrix(rows_kind, rows=page_obj.object_list if page_obj else None)
    filter_name = "coalition" if rows_kind == "coalitions" else "organization"
    return render(
        request,
        "debates/matrix.html",
        {
            "form": form,
            "rows_kind": rows_kind,
            "matrix": matrix,
            "filter_name": filter_name,
            "page_obj": page_obj,
            "paginator": paginator,
        },
    )
